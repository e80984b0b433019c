// Runs once when the Next server starts: installs the hook that decides each request's client IP
// from its socket (lib/auth/peer-hook.ts). Edge runtimes have no sockets and no such hook.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installPeerHook } = await import('./lib/auth/peer-hook');
  installPeerHook();
}
