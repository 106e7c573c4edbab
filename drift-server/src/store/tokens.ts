import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from './database';
import { NotFoundError } from './errors';
import { isoOfMs } from './sql';
import { type Scope, SCOPES } from '../scopes';

/** Who made a request: a stored token's id and name, or for a token from DRIFTGUARD_TOKENS its name (as both). */
export interface Principal {
  readonly tokenId: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
}

export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly scopes: Scope[];
  readonly created_at: string;
  readonly revoked_at: string | null;
}

export interface CreatedToken extends TokenInfo {
  /** The secret, shown once; only its hash is stored. */
  readonly token: string;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

interface TokenRow {
  id: string;
  name: string;
  scopes: string;
  hash: string;
  created_ms: bigint;
  revoked_ms: bigint | null;
}

function toInfo(row: TokenRow): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.split(',') as Scope[],
    created_at: isoOfMs(row.created_ms),
    revoked_at: row.revoked_ms === null ? null : isoOfMs(row.revoked_ms),
  };
}

/**
 * Bearer tokens `dg_<id>_<secret>`, stored as the SHA-256 of the whole token. A presented token is
 * looked up by its hash: an unknown id, a known id with a wrong secret and text of any other shape
 * all cost the same one query that finds nothing, so timing does not tell whether an id exists (and
 * the hash's bits cannot be steered by a guesser, so the lookup leaks nothing of the stored ones).
 * Demo tokens from the environment are held hashed in memory and every one is compared in constant time.
 */
export class TokenStore {
  private readonly demoTokens: { hash: Buffer; name: string; scopes: readonly Scope[] }[];

  constructor(
    private readonly database: Database,
    demoTokens: readonly { name: string; token: string; scopes: readonly Scope[] }[] = []
  ) {
    this.demoTokens = demoTokens.map((demo) => ({ hash: sha256(demo.token), name: demo.name, scopes: demo.scopes }));
  }

  async create(name: string, scopes: readonly Scope[]): Promise<CreatedToken> {
    const id = randomBytes(8).toString('hex');
    const token = `dg_${id}_${randomBytes(32).toString('base64url')}`;
    const uniqueScopes = SCOPES.filter((scope) => scopes.includes(scope));
    await this.database.withConnection((connection) =>
      connection.run(
        'INSERT INTO tokens (id, name, scopes, hash, created_ms, revoked_ms) VALUES ($id, $name, $scopes, $hash, $created, NULL)',
        { id, name, scopes: uniqueScopes.join(','), hash: sha256(token).toString('hex'), created: BigInt(Date.now()) }
      )
    );
    const created = (await this.list()).find((info) => info.id === id) as TokenInfo;
    return { ...created, token };
  }

  async list(): Promise<TokenInfo[]> {
    const rows = await this.database.rows<TokenRow & Record<string, unknown>>(
      'SELECT * FROM tokens ORDER BY created_ms, id'
    );
    return rows.map(toInfo);
  }

  async revoke(id: string): Promise<void> {
    const rows = await this.database.rows<{ id: string }>(
      'UPDATE tokens SET revoked_ms = $revoked WHERE id = $id AND revoked_ms IS NULL RETURNING id',
      { id, revoked: BigInt(Date.now()) }
    );
    if (rows.length === 0) throw new NotFoundError(`no active token with id ${JSON.stringify(id)}`);
  }

  /** The principal a presented token stands for, or undefined when it is unknown or revoked. */
  async verify(presented: string): Promise<Principal | undefined> {
    const hash = sha256(presented);
    let demo: Principal | undefined;
    // Every demo hash is compared, so the time taken does not reveal which one matched.
    for (const candidate of this.demoTokens) {
      if (timingSafeEqual(candidate.hash, hash))
        demo = { tokenId: candidate.name, name: candidate.name, scopes: candidate.scopes };
    }
    if (demo) return demo;
    const row = await this.database.withConnection((connection) =>
      connection.first<TokenRow & Record<string, unknown>>(
        'SELECT * FROM tokens WHERE hash = $hash AND revoked_ms IS NULL',
        { hash: hash.toString('hex') }
      )
    );
    return row && { tokenId: row.id, name: row.name, scopes: row.scopes.split(',') as Scope[] };
  }
}
