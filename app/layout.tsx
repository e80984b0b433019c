// The app shell: skip link, top bar with the role's navigation, and the main column.
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { getCurrentUser } from '@/lib/auth/current-user';
import { Nav } from './_components/nav';
import { HydrationMarker } from './_components/hydration-marker';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Hone', template: '%s · Hone' },
  description: 'Human feedback for language models: demonstrations, rankings, training rounds.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  return (
    <html lang="en" suppressHydrationWarning>
      <body>
        <HydrationMarker />
        <div className="shell">
          <a href="#main" className="skip-link">
            Skip to content
          </a>
          <Nav user={user} />
          <main id="main" className="main" tabIndex={-1}>
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}
