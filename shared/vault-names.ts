/**
 * What Vault accepts in the path segments we build for Generate API Access
 * Token (docs/vault-api.md §1.2, §1.4). One home for both sides: the renderer
 * validates for comfort, main (zod contract and the Vault client) for safety.
 */

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
