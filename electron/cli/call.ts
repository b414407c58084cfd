/**
 * Calls the application service exactly as the app's IPC handler table does:
 * the channel's zod schema parses the request, then the service method named
 * by the contract answers it. Validation and behaviour are therefore the
 * app's own.
 */
import { contract, type Channel, type RequestIn, type ResponseOf } from '../../shared/contract';
import { UsageError } from './errors';
import type { Runtime } from './runtime';

/** `flags` names the command-line flag behind each request field, for usage errors. */
export async function call<C extends Channel>(
  rt: Runtime,
  channel: C,
  input: RequestIn<C>,
  flags: Record<string, string> = {},
): Promise<ResponseOf<C>> {
  const spec = contract[channel];
  const parsed = spec.request.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.length ? String(issue.path[0]) : '';
    const flag = flags[key];
    throw new UsageError(`${flag ? `${flag}: ` : ''}${issue?.message ?? 'invalid value'}`, rt.command);
  }
  const service = rt.ctx().service;
  const method = service[spec.method] as (request: unknown) => Promise<ResponseOf<C>>;
  return method.call(service, parsed.data);
}
