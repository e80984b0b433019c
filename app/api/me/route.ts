// GET: who the caller is (session cookie or Authorization: Bearer <api token>).
import { route } from '@/lib/http';
import { authenticate } from '@/lib/auth/api';

export const GET = route(async (req) => {
  const { id, email, name, role } = await authenticate(req);
  return { user: { id, email, name, role } };
});
