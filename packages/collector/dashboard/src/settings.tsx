import { useEffect, useRef, useState } from 'preact/hooks';
import {
  changePassword, createAccount, createKey, removeAccount, createToken, fetchAccounts, fetchKeys, fetchTokens, patiently, revokeKey, revokeToken, rotateKey,
  type ApiTokenInfo, type WriteKeyInfo,
} from './api.ts';

/**
 * Each create's Idempotency-Key until it has worked, by what it asks: in sessionStorage, not in
 * the component, as a reload or Settings closed and opened before the retry would otherwise
 * make a second key. This page's own record wins, as storage may refuse a write (private mode,
 * full). One over KEEP_MS old is dropped: the collector refuses a key a day old (422), and a
 * retry the next morning is a new request.
 *
 * A record names the page holding it until that page hides: a duplicated tab copies
 * sessionStorage while the original lives on, and the copy's create under the original's key
 * would be answered with the original's key, or replace the token the original showed. A page
 * that crashed, or the browser discarded to save memory (no pagehide either), leaves its keys to
 * the one page that claims its Web Lock next, which a crash or discard lets go. `n` counts the
 * tries: one held on its way past a reload must not replace the token a later try showed.
 */
const ATTEMPTS = 'linger:create-attempts';
const KEEP_MS = 12 * 3600_000;
type Attempt = { id: string; at: number; n: number; page?: string };
const randomId = () => Array.from(crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(36)).join('-');
const thisPage = randomId();
const onPage = new Map<string, Attempt | undefined>();
const stored = (): Record<string, Attempt> => {
  try {
    return (JSON.parse(sessionStorage.getItem(ATTEMPTS) ?? '{}') as Record<string, Attempt>) ?? {};
  } catch {
    return {};
  }
};
// A page holds its Web Lock from the first record naming it until it hides, and a page that
// never makes one (most) none: the browser won't freeze a page holding one. Not only while it
// has records: a copy made while a create was pending, loaded once that create has worked and
// been forgotten, would take it over and replace the token shown. None in an insecure context
// (a LAN address over http).
const LOCK = 'linger:page:';
const locks = navigator.locks as LockManager | undefined;
let letGo: (() => void) | undefined;
const store = (all: Record<string, Attempt>) => {
  try {
    sessionStorage.setItem(ATTEMPTS, JSON.stringify(all));
  } catch {
    // kept on this page only
  }
  if (!letGo && Object.values(all).some((attempt) => attempt?.page === thisPage)) {
    // made before the request: a pagehide before it is granted lets the lock go once it is
    const held = new Promise<void>((done) => (letGo = done));
    void locks?.request(LOCK + thisPage, () => held).catch(() => undefined);
  }
};
const attempts = {
  get(what: string) {
    const attempt = onPage.has(what) ? onPage.get(what) : stored()[what];
    return attempt && (attempt.page ?? thisPage) === thisPage && Date.now() - attempt.at < KEEP_MS ? attempt : undefined;
  },
  set(what: string, attempt?: Attempt) {
    if (attempt) attempt = { ...attempt, page: thisPage };
    onPage.set(what, attempt);
    const all = stored();
    if (attempt) all[what] = attempt;
    else delete all[what];
    store(all);
  },
};
let hide!: () => void;
const hidden = new Promise<void>((done) => (hide = done));
// One still naming another page at load was not handed over by a pagehide: its page crashed or
// was discarded to save memory, and this is its page again (a retry after a lost answer is the
// same request: a new key would leave the first token live and never shown), or it is a copy of
// a tab still open (the original's, never this one's). Only the page that claims that page's
// lock takes them, and holds it until it hides: a duplicate of a crashed tab and its reload would
// both retry under one key, the later replacing the token the first showed.
//
// A lock is let go when its holder hides, and a copy of the crashed tab loaded later (restored
// by the browser, or a duplicate left in the background) would claim it again, retry under the
// same key and replace the token the first taker showed. So a taker marks the crashed page taken
// in localStorage (all tabs') while it holds the lock, and it is nobody's after. One key a page,
// not one shared map: two tabs restored at once would each read the map from their renderer's
// copy and write it back, the later dropping the other's mark.
const TAKEN = 'linger:page-taken:';
const takeOver = (page: string) => {
  try {
    if (localStorage.getItem(TAKEN + page) !== null) return false;
    localStorage.setItem(TAKEN + page, String(Date.now()));
    for (const name of Object.keys(localStorage)) {
      const at = name.startsWith(TAKEN) ? localStorage.getItem(name) : null;
      if (at !== null && Date.now() - Number(at) > KEEP_MS) localStorage.removeItem(name);
    }
  } catch {
    // no localStorage: the lock alone says it, while this page lives
  }
  return true;
};
const ready = (async () => {
  const mine = new Set<string | undefined>([undefined, thisPage]);
  for (const page of new Set(Object.values(stored()).map((attempt) => attempt?.page))) {
    if (mine.has(page)) continue;
    const claimed = locks
      ? await new Promise<unknown>((claim) => void locks.request(LOCK + page, { ifAvailable: true }, (lock) => {
        const taken = !!lock && takeOver(page!);
        claim(taken);
        return taken && hidden;
      }).catch(() => claim(null)))
      : (document as { wasDiscarded?: boolean }).wasDiscarded && takeOver(page!);
    if (claimed) mine.add(page);
  }
  // named for this page, so a copy of this tab made before its retry leaves them to it
  const all = stored();
  for (const [what, attempt] of Object.entries(all)) {
    if (!attempt) continue;
    if (mine.has(attempt.page)) attempt.page = thisPage;
    else delete all[what];
  }
  store(all);
})();
// A reload's next page takes them over; back from the back/forward cache, this page again.
addEventListener('pagehide', () => {
  const all = stored();
  for (const attempt of Object.values(all)) if (attempt.page === thisPage) delete attempt.page;
  store(all);
  letGo?.();
  letGo = undefined;
  hide();
});
addEventListener('pageshow', (event) => {
  if (!event.persisted) return;
  const all = stored();
  // another page of this tab may have gone on with them meanwhile (a later try, or done and
  // forgotten): the stored record is the truth, not this page's
  for (const [what, attempt] of onPage) {
    const now = all[what];
    if (attempt && now?.id === attempt.id && !now.page) onPage.set(what, (all[what] = { ...now, page: thisPage }));
    else onPage.delete(what);
  }
  store(all);
});

/**
 * Each create still on its way, by what it asks. A retry waits on it rather than send it again:
 * a second request would be answered with a new token, then the first, let through late, would
 * replace it (the collector's "nobody received it"), and the token shown would not work.
 */
const sending = new Map<string, Promise<unknown>>();
const sendOnce = <T,>(what: string, send: () => Promise<T>): Promise<T> => {
  let sent = sending.get(what) as Promise<T> | undefined;
  if (!sent) {
    const request = send();
    sending.set(what, (sent = request));
    const done = () => void (sending.get(what) === request && sending.delete(what));
    request.then(done, done);
  }
  return patiently(sent);
};

const day = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '');

/** A secret or token shown the one time it exists in clear. */
function Reveal({ label, value }: { label: string; value: string }) {
  return (
    <p class="reveal" role="status">
      {label} (shown once, copy it now): <code>{value}</code>
    </p>
  );
}

/**
 * Write keys and their userHash secrets, and API tokens for scripts. Every change needs the
 * session (and its CSRF token): the API tokens listed here can only read.
 */
export function Settings({ me, onKeysChanged }: { me: string; onKeysChanged: () => void }) {
  const [keys, setKeys] = useState<WriteKeyInfo[]>([]);
  const [tokens, setTokens] = useState<ApiTokenInfo[]>([]);
  const [accounts, setAccounts] = useState<{ email: string; createdAt: string }[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<{ label: string; value: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = async () => {
    const [k, t, a] = await Promise.all([fetchKeys(), fetchTokens(), fetchAccounts()]);
    setKeys(k.writeKeys);
    setTokens(t.tokens);
    setAccounts(a.accounts);
  };
  useEffect(() => {
    reload().catch((err: Error) => setError(err.message));
  }, []);

  // A create sent again with the same form (its answer lost) carries the same Idempotency-Key, so
  // the collector makes it once; forgotten once it has worked. Not crypto.randomUUID: a dashboard
  // on a LAN address over http is no secure context.
  //
  // Refused (the key used for another request, or its key rotated since): the same key again
  // would be refused for good, so the next click is a new request.
  // But for "being answered to another request": the same key again is the way to its answer.
  const refused = (what: string) => (err: Error & { status?: number }): never => {
    if (err.status && err.status < 500 && !/being answered to another request/.test(err.message)) attempts.set(what);
    throw err;
  };
  const once = (what: string) => {
    const earlier = attempts.get(what);
    const attempt = { id: earlier?.id ?? randomId(), at: earlier?.at ?? Date.now(), n: (earlier?.n ?? 0) + 1 };
    attempts.set(what, attempt);
    return attempt;
  };
  // one change at a time: a double click would race two answers into the reveal; the buttons
  // say so (disabled) rather than ignore a click in silence
  const busy = useRef(false);
  const [working, setWorking] = useState(false);

  const act = (work: () => Promise<{ label: string; value: string } | null>) => async () => {
    if (busy.current) return;
    busy.current = true;
    setWorking(true);
    setError(null);
    setNotice(null);
    try {
      await ready;
      setRevealed(await work());
      await reload();
      onKeysChanged();
    } catch (err) {
      setError(String((err as Error).message ?? err));
      // The change may have been made with only its answer lost: the tables show what is so.
      await reload().catch(() => undefined);
    } finally {
      busy.current = false;
      setWorking(false);
    }
  };

  const newKey = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const what = JSON.stringify(['key', String(data.get('name') ?? ''), data.get('secret') === 'on']);
    void act(async () => {
      const made = await sendOnce(what, () => createKey(String(data.get('name') ?? ''), data.get('secret') === 'on', once(what).id)).catch(refused(what));
      attempts.set(what);
      form.reset();
      return { label: `Key ${made.key}${made.secret ? ' — its userHash secret' : ''}`, value: made.secret ?? made.key };
    })();
  };
  const newToken = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const name = String(new FormData(form).get('name') ?? '');
    const what = JSON.stringify(['token', name]);
    void act(async () => {
      const made = await sendOnce(what, () => createToken(name, once(what))).catch(refused(what));
      attempts.set(what);
      form.reset();
      return { label: `API token “${made.name}” (Authorization: Bearer …, read-only)`, value: made.token };
    })();
  };

  const newAccount = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    void act(async () => {
      await createAccount(String(data.get('email') ?? ''), String(data.get('password') ?? ''));
      form.reset();
      setNotice(`Account ${String(data.get('email'))} created: give them the password in person.`);
      return null;
    })();
  };
  const newPassword = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    void act(async () => {
      await changePassword(String(data.get('current') ?? ''), String(data.get('password') ?? ''));
      form.reset();
      setNotice('Password changed; your other sessions are signed out.');
      return null;
    })();
  };

  return (
    <section class="card wide settings" aria-label="Keys and tokens">
      <h2>Write keys</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {revealed && <Reveal label={revealed.label} value={revealed.value} />}
      <table class="grid">
        <thead><tr><th>key</th><th>name</th><th>userHash secret</th><th>created</th><th>status</th><th /></tr></thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.key}>
              <td><code>{k.key}</code></td>
              <td>{k.name}</td>
              <td>{k.hasSecret ? 'yes' : 'none: userHash not checked'}{k.previousSecretUntil && ` (previous one valid until ${day(k.previousSecretUntil)})`}</td>
              <td>{k.source === 'config' ? 'from the command line' : day(k.createdAt)}</td>
              <td>{k.revokedAt ? `revoked ${day(k.revokedAt)}` : 'live'}</td>
              <td>
                {k.source === 'dashboard' && !k.revokedAt && (
                  <>
                    <button type="button" disabled={working} onClick={act(async () => {
                      const r = await rotateKey(k.key);
                      return { label: `New secret for ${k.key} (the previous one works for 24 h more)`, value: r.secret ?? '' };
                    })}>Rotate secret</button>
                    <button type="button" disabled={working} onClick={() => {
                      if (confirm(`Revoke ${k.key}? Events sent with it will be refused.`)) void act(async () => (await revokeKey(k.key), null))();
                    }}>Revoke</button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="inline" onSubmit={newKey}>
        <label>Name <input name="name" maxLength={100} placeholder="Production" /></label>
        <label><input name="secret" type="checkbox" defaultChecked /> with a userHash secret</label>
        <button type="submit" disabled={working}>Create key</button>
      </form>

      <h2>API tokens</h2>
      <p class="muted">For scripts: read the insights API with <code>Authorization: Bearer &lt;token&gt;</code>. Tokens cannot change anything.</p>
      <table class="grid">
        <thead><tr><th>name</th><th>created</th><th>last used</th><th>status</th><th /></tr></thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>{day(t.createdAt)}</td>
              <td>{day(t.lastUsedAt) || 'never'}</td>
              <td>{t.revokedAt ? `revoked ${day(t.revokedAt)}` : 'live'}</td>
              <td>{!t.revokedAt && <button type="button" disabled={working} onClick={act(async () => (await revokeToken(t.id), null))}>Revoke</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="inline" onSubmit={newToken}>
        <label>Name <input name="name" required maxLength={100} placeholder="Nightly export" /></label>
        <button type="submit" disabled={working}>Create token</button>
      </form>

      <h2>Vendor accounts</h2>
      {notice && <p class="reveal" role="status">{notice}</p>}
      <ul>
        {accounts.map((a) => (
          <li key={a.email}>
            {a.email} <span class="muted">since {day(a.createdAt)}</span>{' '}
            {/* a colleague who left: their sessions and API tokens end with it (not one's own: the collector refuses) */}
            {a.email !== me && <button type="button" disabled={working} onClick={() => {
              if (confirm(`Remove ${a.email}? They are signed out and their API tokens stop working.`)) void act(async () => (await removeAccount(a.email), setNotice(`Account ${a.email} removed.`), null))();
            }}>Remove</button>}
          </li>
        ))}
      </ul>
      <form class="inline" onSubmit={newAccount} aria-label="Add an account">
        <label>Email <input name="email" type="email" required autocomplete="off" /></label>
        <label>Password <input name="password" type="password" required minLength={12} autocomplete="new-password" /></label>
        <button type="submit" disabled={working}>Add account</button>
      </form>
      <form class="inline" onSubmit={newPassword} aria-label="Change my password">
        <label>Current password <input name="current" type="password" required autocomplete="current-password" /></label>
        <label>New password <input name="password" type="password" required minLength={12} autocomplete="new-password" /></label>
        <button type="submit" disabled={working}>Change my password</button>
      </form>
    </section>
  );
}
