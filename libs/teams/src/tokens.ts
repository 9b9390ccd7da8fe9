import { createHash, randomBytes } from 'node:crypto';

// A token is `mmr_<tokenId>_<secret>`: the id (public: listed, revoked by it) and 32 random bytes.
// The store keeps SHA-256 of the whole token; a fast hash is enough for 256 bits of entropy.

const TOKEN = /^mmr_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): { tokenId: string; token: string; hash: string } {
  const tokenId = randomBytes(8).toString('hex');
  const token = `mmr_${tokenId}_${randomBytes(32).toString('base64url')}`;
  return { tokenId, token, hash: hashToken(token) };
}

/** The token id of a well-formed token, or undefined. */
export function tokenIdOf(token: string): string | undefined {
  return TOKEN.exec(token)?.[1];
}
