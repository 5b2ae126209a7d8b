import { createHash } from 'crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DEFAULT_BASE_URL } from './api';
import { sentKey } from './transport';

/**
 * Who GMI counts a request against: the base URL, the API key and the organization. Rate
 * limits and list answers belong to one account, so waits share state only within one. The key
 * is hashed: this identity lives in long-lived maps that heap snapshots and logs may show.
 */
export function accountKeyOf(credentials: ICredentialDataDecryptedObject): string {
	const base = String(credentials.baseUrl || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
	const organization = String(credentials.organizationId ?? '').trim();
	return createHash('sha256').update(`${base}\n${sentKey(credentials)}\n${organization}`).digest('hex').slice(0, 24);
}
