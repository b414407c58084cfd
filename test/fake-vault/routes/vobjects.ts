/**
 * api_access_token__sys as a Vault object (docs/vault-api.md §1.5):
 *   GET    /api/{v}/vobjects/api_access_token__sys/{id}   Retrieve Object Record
 *   DELETE /api/{v}/vobjects/api_access_token__sys        Delete Object Records
 * Delete Object Records (O-del): `Content-Type` text/csv or application/json
 * only; CSV (RFC 4180) with an `id` column or a JSON array of `{"id": …}`;
 * "The maximum batch size is 500"; optional `idParam` query parameter naming
 * a unique field. POST …?_method=DELETE (§1.5) is handled by the server
 * (options.methodOverride, UNCONFIRMED).
 */
import { VaultError, failureBody, successBody } from '../errors';
import { parseCsv } from '../http-io';
import { TOKEN_RECORD_FIELDS, formatRow, tokenRow, tokenVisible } from '../query-targets';
import { requirePrincipal, type Reply, type RequestContext } from './context';

export const MAX_DELETE_BATCH = 500;
const OBJECT = 'api_access_token__sys';

export function handleRetrieveToken(rc: RequestContext): Reply {
  const { store, options } = rc.server;
  const user = requirePrincipal(rc).user;
  const id = rc.params[0] ?? '';
  const t = store.tokens.get(id);
  const exists = !!t && t.vaultId === rc.vault.id && !(t.deletedAt && options.deletedTokens === 'hidden');
  if (!t || !exists)
    throw new VaultError(options.errorTypes.recordNotFound, `Record [${id}] not found for object [${OBJECT}].`);
  if (!tokenVisible(store, t, rc.vault, user)) {
    throw new VaultError(options.errorTypes.recordNotVisible, `User [${user.id}] may not view record [${id}].`);
  }
  return {
    body: successBody({
      responseDetails: {
        url: `/api/${rc.version}/vobjects/${OBJECT}/${id}`,
        object: {
          name: OBJECT,
          label: 'API Access Token',
          url: `/api/${rc.version}/metadata/vobjects/${OBJECT}`,
          label_plural: 'API Access Tokens',
        },
      },
      // O-get: "the response lists all fields and values configured on the object record".
      data: formatRow({ fields: TOKEN_RECORD_FIELDS }, tokenRow(store, t), [...TOKEN_RECORD_FIELDS.keys()], options),
    }),
  };
}

/** IDs from a CSV (`id` column) or JSON (`[{"id":…}]`) body; null entries = row without an id. */
function idsFromBody(rc: RequestContext): (string | null)[] {
  const { missingParameter, invalidRequest } = rc.server.options.errorTypes;
  const text = rc.body.toString('utf8');
  const mime = rc.contentType.mime;
  if (mime === 'text/csv') {
    const rows = parseCsv(text);
    const header = rows[0];
    if (!header) throw new VaultError(missingParameter, 'No records provided.');
    // Field names are case sensitive (VQL Syntax Basics); folding the CSV header is
    // UNCONFIRMED and only done with options.csvHeaderCaseInsensitive.
    const fold = rc.server.options.csvHeaderCaseInsensitive;
    const col = header.findIndex((h) => (fold ? h.trim().toLowerCase() : h.trim()) === 'id');
    if (col < 0) throw new VaultError(invalidRequest, 'CSV header must contain an [id] column.');
    return rows.slice(1).map((r) => (r[col] ?? '').trim() || null);
  }
  if (mime === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new VaultError(invalidRequest, 'Malformed JSON body.');
    }
    if (!Array.isArray(parsed)) throw new VaultError(invalidRequest, 'JSON body must be an array of records.');
    return parsed.map((r: unknown) => {
      const id = typeof r === 'object' && r !== null ? (r as Record<string, unknown>).id : undefined;
      return typeof id === 'string' && id.trim() ? id.trim() : null;
    });
  }
  if (rc.body.length === 0) throw new VaultError(missingParameter, 'No records provided.');
  throw new VaultError(
    invalidRequest,
    `Unsupported Content-Type [${mime || 'none'}]; use text/csv or application/json.`,
  );
}

/**
 * O-del `idParam`: "any object field which has unique set to true". The only
 * unique field the fake knows for api_access_token__sys is `id` (UNCONFIRMED);
 * any other value fails the request (options.errorTypes.unsupportedIdParam).
 */
function checkIdParam(rc: RequestContext): void {
  const idParam = rc.query.get('idParam');
  if (idParam !== null && idParam !== 'id') {
    throw new VaultError(
      rc.server.options.errorTypes.unsupportedIdParam,
      `Field [${idParam}] cannot identify records of [${OBJECT}]; it is not a unique field.`,
    );
  }
}

export function handleDeleteTokens(rc: RequestContext): Reply {
  const { store, options } = rc.server;
  const et = options.errorTypes;
  const user = requirePrincipal(rc).user;
  checkIdParam(rc);
  const ids = idsFromBody(rc);
  if (ids.length === 0) throw new VaultError(et.missingParameter, 'No records provided.');
  // §1.5: max 500 per batch; error type UNCONFIRMED (options.errorTypes.tooManyRecords).
  if (ids.length > MAX_DELETE_BATCH) {
    throw new VaultError(
      et.tooManyRecords,
      `A maximum of ${MAX_DELETE_BATCH} records can be deleted per request; got ${ids.length}.`,
    );
  }
  const canManage = store.profileOf(user).canManageTokens;
  const seen = new Set<string>();
  // §1.5: per-record results in input order.
  const data = ids.map((id) => {
    if (id === null) return failureBody(et.missingParameter, 'Missing record id.');
    if (seen.has(id)) return failureBody(et.duplicateRecordId, `Duplicate record id [${id}].`);
    seen.add(id);
    const t = store.tokens.get(id);
    if (!t || t.vaultId !== rc.vault.id || (t.deletedAt && options.deletedTokens === 'hidden')) {
      return failureBody(et.recordNotFound, `Record [${id}] not found for object [${OBJECT}].`);
    }
    if (t.userId !== user.id && !canManage) {
      return failureBody(et.noTokenPermission, `User [${user.id}] may not delete record [${id}].`);
    }
    if (t.deletedAt) return failureBody(et.alreadyDeleted, `Record [${id}] is already deleted.`);
    store.deleteToken(t, user.id);
    return successBody({ data: { id } });
  });
  return { body: successBody({ data }) };
}
