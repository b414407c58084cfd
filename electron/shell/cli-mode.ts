/**
 * The installed app is also the `vault-token-desk` command (issue 10): the launchers in build/cli/ start the
 * app's own executable with `--cli` and the command's arguments, and main runs the same CLI bundle as
 * `npx vault-token-desk`, with no window. This keeps the RunAsNode fuse off (package.json electronFuses):
 * ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node for any script.
 */
export const CLI_SWITCH = '--cli';

/** The command's arguments when the app was started as the CLI, else null. */
export function cliArguments(argv: readonly string[]): string[] | null {
  const at = argv.indexOf(CLI_SWITCH);
  return at === -1 ? null : argv.slice(at + 1);
}
