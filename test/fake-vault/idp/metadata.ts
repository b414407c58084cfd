/**
 * OpenID Provider metadata (OpenID Connect Discovery 1.0 §3, RFC 8414 §2),
 * served at /.well-known/openid-configuration and embedded as `as_metadata`
 * in Vault's discovery answer (docs/vault-api.md §3.5).
 */
import { ALL_GRANTS, DEVICE_CODE_GRANT } from './idp-store';

export const SUPPORTED_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

export function idpMetadata(
  issuer: string,
  opts: { deviceFlow: boolean; issParameter: boolean },
): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    ...(opts.deviceFlow ? { device_authorization_endpoint: `${issuer}/device_authorization` } : {}),
    introspection_endpoint: `${issuer}/introspect`,
    // No jwks_uri: id_tokens are unsigned (alg none), there are no keys to publish.
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: opts.deviceFlow ? ALL_GRANTS : ALL_GRANTS.filter((g) => g !== DEVICE_CODE_GRANT),
    // RFC 7636 §4.2 / OAuth 2.0 Security BCP §2.1.1: S256 only, plain is refused.
    code_challenge_methods_supported: ['S256'],
    scopes_supported: SUPPORTED_SCOPES,
    // RFC 8252 §8.4: native apps are public clients, no client authentication.
    token_endpoint_auth_methods_supported: ['none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['none'],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'nonce', 'preferred_username'],
    // RFC 9207 §3.
    authorization_response_iss_parameter_supported: opts.issParameter,
  };
}
