// Closes this process's database pool, for processes outside the web app (the worker at
// shutdown, scripts and benches after their setup) that must not reach lib/db themselves.
import { prisma } from '../db';

export async function closeDatabase(): Promise<void> {
  await prisma.$disconnect();
}
