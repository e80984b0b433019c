// Next.js settings. The worker and lib/ml never load through Next; the web app talks to them
// through BullMQ queues only, so the heavy packages stay out of the server bundle.

// Security headers on every response: pages, app/api and /v1.
// CSP: scripts from our origin plus inline ones. Next's App Router streams its RSC payload in
// inline <script> tags; the alternative, a per-request nonce set in proxy.ts, forces every page
// into dynamic rendering and must be threaded through each <Script>, for little gain here: Hone
// renders no third-party or user-supplied HTML (no dangerouslySetInnerHTML, text only), so the
// inline allowance is not an injection path, while everything else (other origins, plugins,
// <base>, form targets, framing) is shut. Dev mode also needs eval for React's debugging.
const dev = process.env.NODE_ENV !== 'production';
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = [
  { key: 'Content-Security-Policy', value: contentSecurityPolicy },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
];

// HSTS only over https. X-Forwarded-Proto is set by lib/auth/peer-hook.ts: from the socket for
// direct clients (theirs is dropped) and from HONE_TRUSTED_PROXIES only otherwise, so a client
// cannot switch HSTS on for plain-http deployments.
const hsts = { key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' };

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Separate build folders let e2e runs and a dev server coexist in one checkout.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  serverExternalPackages: ['pg', '@prisma/adapter-pg', 'bullmq', 'ioredis', 'better-auth', '@tensorflow/tfjs-core'],
  poweredByHeader: false,
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      { source: '/:path*', has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }], headers: [hsts] },
    ];
  },
};

export default nextConfig;
