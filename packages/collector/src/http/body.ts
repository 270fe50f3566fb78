import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export type BodyResult =
  | { ok: true; text: string }
  | { ok: false; status: 413 | 400; error: string };

/**
 * Reads the request body up to `limit` bytes (after gunzip, so a small compressed bomb can't
 * get past the limit). Past the limit it stops buffering; the caller answers 413.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity' && Number.isFinite(declared) && declared > limit) {
    return { ok: false, status: 413, error: `body is ${declared} bytes; the limit is ${limit}` };
  }
  let source: Readable = req;
  if (encoding === 'gzip') {
    const gunzip = createGunzip();
    // pipe() does not pass an aborted upload's error on: without this the gunzip never ends,
    // and the request would hang for good, holding what it had buffered.
    req.once('error', (error) => gunzip.destroy(error));
    source = req.pipe(gunzip);
  } else if (encoding !== 'identity') return { ok: false, status: 400, error: `unsupported Content-Encoding ${encoding}` };

  return new Promise<BodyResult>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Stop buffering but keep draining (not destroying): the sender must still be able to
      // read the 413, and the response closes the connection after it.
      source.off('data', onData);
      let drained = 0;
      source.on('data', (rest: Buffer) => {
        // Past this, the sender is not a confused SDK: stop reading and drop the connection.
        drained += rest.length;
        if (drained > 16 * limit) req.destroy();
      });
      resolve({ ok: false, status: 413, error: `body is over the limit of ${limit} bytes` });
    };
    source.on('data', onData);
    source.once('end', () => resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    source.once('error', (error) => resolve({ ok: false, status: 400, error: `could not read body: ${error.message}` }));
  });
}
