// Starts the bot on Discord. (Filled in by the Discord runtime work.)
export async function startBot(): Promise<void> {
  process.stderr.write('Discord mode is not built yet: unset DISCORD_TOKEN to use the local console.\n');
  process.exitCode = 1;
}
