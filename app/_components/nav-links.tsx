'use client';
// The role's navigation links, marking the current section (one link) for assistive technology
// and the eye.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { currentHref } from './nav-current';

export type NavLink = { href: string; label: string };

export function NavLinks({ links }: { links: NavLink[] }) {
  const pathname = usePathname();
  const current = currentHref(pathname, links.map((l) => l.href));
  return (
    <ul>
      {links.map((l) => {
        return (
          <li key={l.href}>
            <Link href={l.href} aria-current={l.href === current ? 'page' : undefined}>
              {l.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
