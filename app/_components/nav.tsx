// The top bar: brand, the links the user's role may open, who is signed in, and Sign out (a
// POST form, so it works without JavaScript).
import Link from 'next/link';
import type { CurrentUser, Role } from '@/lib/auth/current-user';
import { hasRole } from '@/lib/auth/roles';
import { NavLinks, type NavLink } from './nav-links';
import { signOutAction } from './actions';
import { RoleBadge } from './role-badge';

const LINKS: (NavLink & { roles: Role[] })[] = [
  { href: '/label', label: 'Label', roles: ['LABELER'] },
  { href: '/admin/projects', label: 'Projects', roles: ['ADMIN'] },
  { href: '/admin/users', label: 'Users', roles: ['ADMIN'] },
  { href: '/admin/rounds', label: 'Rounds', roles: ['ADMIN'] },
  { href: '/admin/arena', label: 'Arena', roles: ['ADMIN'] },
  { href: '/admin/workers', label: 'Workers', roles: ['ADMIN'] },
  { href: '/admin/audit', label: 'Audit', roles: ['ADMIN'] },
  { href: '/research', label: 'Research', roles: ['RESEARCHER'] },
  { href: '/research/quality', label: 'Quality', roles: ['RESEARCHER'] },
  { href: '/data', label: 'Data', roles: ['RESEARCHER'] },
  { href: '/admin/gold', label: 'Gold', roles: ['ADMIN'] },
  { href: '/account/tokens', label: 'Tokens', roles: [] },
];

export function Nav({ user }: { user: CurrentUser | null }) {
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link href="/" className="brand">
          Hone
        </Link>
        {user && (
          <nav className="nav" aria-label="Main">
            <NavLinks links={LINKS.filter((l) => hasRole(user.role, l.roles)).map(({ href, label }) => ({ href, label }))} />
            <div className="nav-user">
              <span>
                <span className="sr-only">Signed in as </span>
                {user.name} <RoleBadge role={user.role} />
              </span>
              <form action={signOutAction}>
                <button type="submit" className="btn btn-sm">
                  Sign out
                </button>
              </form>
            </div>
          </nav>
        )}
      </div>
    </header>
  );
}
