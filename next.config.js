// Next.js settings. The worker and lib/ml never load through Next; the web app talks to them
// through BullMQ queues only, so the heavy packages stay out of the server bundle.
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Separate build folders let e2e runs and a dev server coexist in one checkout.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  serverExternalPackages: ['pg', '@prisma/adapter-pg', 'bullmq', 'ioredis', 'better-auth', '@tensorflow/tfjs-core'],
  poweredByHeader: false,
};

export default nextConfig;
