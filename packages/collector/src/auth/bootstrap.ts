import type { Database } from '../db/database.ts';
import { isLoopback } from '../http/cors.ts';
import { countAccounts, upsertAccount } from './accounts.ts';
import { newSecret } from './tokens.ts';

export interface AdminCredentials {
  email: string;
  password: string;
}

export const LOCAL_ADMIN_EMAIL = 'admin@localhost';

/**
 * The first vendor account. Given credentials (LINGER_ADMIN_EMAIL / LINGER_ADMIN_PASSWORD)
 * create it, or reset its password. Without them, a collector on loopback with no account yet
 * makes a local admin with a generated password and returns it, once, for the console; on any
 * other address nobody can sign in until credentials are given.
 */
export async function bootstrapAdmin(
  db: Database,
  options: { admin: AdminCredentials | undefined; host: string; log: (line: string) => void },
): Promise<AdminCredentials | undefined> {
  if (options.admin) {
    await upsertAccount(db, options.admin.email, options.admin.password);
    return undefined;
  }
  if ((await countAccounts(db)) > 0) return undefined;
  if (!isLoopback(options.host)) {
    options.log('[linger] no vendor account yet: start once with LINGER_ADMIN_EMAIL and LINGER_ADMIN_PASSWORD to create one');
    return undefined;
  }
  const created = { email: LOCAL_ADMIN_EMAIL, password: newSecret('').slice(0, 24) };
  await upsertAccount(db, created.email, created.password);
  return created;
}
