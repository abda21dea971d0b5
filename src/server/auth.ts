// Sign-in for the team server: one-time tokens (the lead's, printed at start as Jupyter does; invites later), and
// server-side sessions whose secret lives only in the browser's HttpOnly cookie. Tokens and session secrets are
// stored as SHA-256 hashes, so a copy of the database signs nobody in.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { ServerDb } from './db';

export const SESSION_TTL_MS = 30 * 24 * 3600_000;

export const newSecret = (): string => randomBytes(32).toString('base64url');
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export interface SignedIn {
  id: number;
  name: string;
  role: 'lead' | 'annotator';
  /** An annotator's project (published dataset id); null for the lead, who sees every project. */
  projectId: number | null;
}

/** A one-time sign-in token for the project lead (the lead user is made on first start). */
export async function createLeadToken(db: ServerDb, ttlMs: number): Promise<string> {
  const token = newSecret();
  await db.transaction().execute(async (tx) => {
    let lead = await tx.selectFrom('users').select('id').where('role', '=', 'lead').orderBy('id').executeTakeFirst();
    if (!lead) lead = await tx.insertInto('users').values({ name: 'lead', role: 'lead' }).returning('id').executeTakeFirstOrThrow();
    await tx
      .insertInto('sign_in_tokens')
      .values({
        token_hash: hashSecret(token),
        user_id: lead.id,
        purpose: 'lead',
        expires_at: new Date(Date.now() + ttlMs),
        used_at: null,
        revoked_at: null,
      })
      .execute();
  });
  return token;
}

/**
 * Redeems a one-time token: marks it used (a row lock, so two requests with one token cannot both succeed) and
 * opens a session. Null when the token is unknown, used, revoked or expired.
 */
export async function redeemToken(db: ServerDb, token: string): Promise<{ secret: string; user: SignedIn } | null> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('sign_in_tokens')
      .selectAll()
      .where('token_hash', '=', hashSecret(token))
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return null;
    await tx
      .updateTable('sign_in_tokens')
      .set({ used_at: sql`now()` })
      .where('token_hash', '=', row.token_hash)
      .execute();
    const secret = newSecret();
    await tx
      .insertInto('sessions')
      .values({ id_hash: hashSecret(secret), user_id: row.user_id, expires_at: new Date(Date.now() + SESSION_TTL_MS) })
      .execute();
    const user = await tx
      .selectFrom('users')
      .select(['id', 'name', 'role', 'project_id as projectId'])
      .where('id', '=', row.user_id)
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('audit_log')
      .values({ user_id: user.id, action: 'sign-in', detail: JSON.stringify({ purpose: row.purpose }) })
      .execute();
    return { secret, user };
  });
}

/** The user of a session secret, or null (unknown or expired). */
export async function sessionUser(db: ServerDb, secret: string): Promise<SignedIn | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.name', 'users.role', 'users.project_id as projectId'])
    .where('sessions.id_hash', '=', hashSecret(secret))
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row ?? null;
}

export async function endSession(db: ServerDb, secret: string, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', hashSecret(secret)).execute();
  await db.insertInto('audit_log').values({ user_id: userId, action: 'sign-out', detail: null }).execute();
}

export interface InviteRow {
  id: string;
  name: string;
  projectId: number | null;
  status: 'pending' | 'used' | 'revoked' | 'expired';
  expiresAt: string;
  usedAt: string | null;
}

/**
 * An invite for a new annotator of a project: a user and a single-use token (shown once). Null when the project
 * already has an annotator of that name (names tell annotators apart in agreement tables and exports).
 */
export async function createInvite(
  db: ServerDb,
  lead: SignedIn,
  name: string,
  projectId: number,
  ttlMs: number,
): Promise<{ id: string; token: string; expiresAt: Date } | null> {
  const token = newSecret();
  const expiresAt = new Date(Date.now() + ttlMs);
  const id = await db.transaction().execute(async (tx) => {
    // The project's row lock: two invites of one name at once cannot both pass the check.
    await tx.selectFrom('datasets').select('id').where('id', '=', projectId).forUpdate().execute();
    const same = await tx
      .selectFrom('users')
      .select('id')
      .where('project_id', '=', projectId)
      .where(sql`lower(name)`, '=', name.toLowerCase())
      .executeTakeFirst();
    if (same) return null;
    const user = await tx
      .insertInto('users')
      .values({ name, role: 'annotator', project_id: projectId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await tx
      .insertInto('sign_in_tokens')
      .values({
        token_hash: hashSecret(token),
        user_id: user.id,
        purpose: 'invite',
        expires_at: expiresAt,
        used_at: null,
        revoked_at: null,
        created_by: lead.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('audit_log')
      .values({ user_id: lead.id, action: 'invite-created', detail: JSON.stringify({ invite: row.id, name, project: projectId }) })
      .execute();
    return String(row.id);
  });
  return id === null ? null : { id, token, expiresAt };
}

/** Every invite (of one project when `projectId` is given), oldest first. */
export async function listInvites(db: ServerDb, projectId?: number): Promise<InviteRow[]> {
  const rows = await db
    .selectFrom('sign_in_tokens')
    .innerJoin('users', 'users.id', 'sign_in_tokens.user_id')
    .select([
      'sign_in_tokens.id',
      'users.name',
      'users.project_id',
      'sign_in_tokens.expires_at',
      'sign_in_tokens.used_at',
      'sign_in_tokens.revoked_at',
    ])
    .where('sign_in_tokens.purpose', '=', 'invite')
    .$if(projectId !== undefined, (q) => q.where('users.project_id', '=', projectId!))
    .orderBy('sign_in_tokens.id')
    .execute();
  const now = Date.now();
  return rows.map((r) => ({
    id: String(r.id),
    name: r.name,
    projectId: r.project_id,
    status: r.used_at ? 'used' : r.revoked_at ? 'revoked' : new Date(r.expires_at).getTime() <= now ? 'expired' : 'pending',
    expiresAt: new Date(r.expires_at).toISOString(),
    usedAt: r.used_at ? new Date(r.used_at).toISOString() : null,
  }));
}

/** Revokes an invite that was not used yet; false when there is no such pending invite. */
export async function revokeInvite(db: ServerDb, lead: SignedIn, id: string): Promise<boolean> {
  if (!/^\d+$/.test(id)) return false;
  const r = await db
    .updateTable('sign_in_tokens')
    .set({ revoked_at: sql`now()` })
    .where('id', '=', id)
    .where('purpose', '=', 'invite')
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await db
    .insertInto('audit_log')
    .values({ user_id: lead.id, action: 'invite-revoked', detail: JSON.stringify({ invite: id }) })
    .execute();
  return true;
}
