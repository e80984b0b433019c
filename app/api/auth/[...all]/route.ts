// better-auth's HTTP endpoints: /api/auth/sign-in/email, /api/auth/sign-out, /api/auth/get-session, …
import { toNextJsHandler } from 'better-auth/next-js';
import { auth } from '@/lib/auth/server';

export const { GET, POST } = toNextJsHandler(auth);
