// Next.js settings. The worker and lib/ml never load through Next; the web app talks to them
// through BullMQ queues only, so the heavy packages stay out of the server bundle.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ['pg', '@prisma/adapter-pg', 'bullmq', 'ioredis', 'better-auth'],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
