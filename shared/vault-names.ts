/**
 * What Vault accepts in the names and path segments we send it
 * (docs/vault-api.md). One home for both sides: the renderer validates for
 * comfort, main (zod contract and the Vault client) for safety.
 */

/**
 * API versions are `vYY.N` (§3.9: three releases a year, .1 to .3; the version
 * list also shows historic ones such as v7.0). The path is built from it, so
 * nothing else passes.
 */
export const API_VERSION_RE = /^v\d{1,2}\.\d$/;
export const API_VERSION_HINT = 'Use a version such as v26.2.';

/** §5.5: letters, digits, `.`, `_` and `-`, at most 100 characters. */
export const CLIENT_ID_RE = /^[A-Za-z0-9._-]{1,100}$/;
export const CLIENT_ID_HINT = 'A client id uses at most 100 letters, digits, dots, underscores and hyphens.';

/**
 * Vault user ids are numeric (Veeva's examples: `12345`, `61603`). Refusing
 * everything else keeps `.`, `..` and `/` out of the path, where `..` would
 * collapse `/objects/users/../api_access_token__sys` onto another endpoint.
 */
export const VAULT_USER_ID_RE = /^[0-9]{1,20}$/;
export const VAULT_USER_ID_HINT = 'A Vault user id is a number, such as 61603.';

/**
 * Sandbox names as *My Vaults* shows them. Veeva does not list the allowed
 * characters (UNCONFIRMED): letters, digits, spaces, `_` and `-`, starting
 * with a letter or digit, cover the names Vault's sandbox dialog offers.
 * Dots, slashes, `%`, `?` and `#` never reach a path.
 */
export const SANDBOX_NAME_RE = /^[\p{L}\p{N}](?:[\p{L}\p{N} _-]{0,98}[\p{L}\p{N}_-])?$/u;
export const SANDBOX_NAME_HINT = 'Use the sandbox name shown on My Vaults: letters, digits, spaces, “_” and “-”.';
