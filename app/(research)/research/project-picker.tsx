'use client';
// Switches the project the research pages show (?projectId=…).
import { usePathname, useRouter } from 'next/navigation';

export function ProjectPicker({ projects, current }: { projects: { id: string; name: string }[]; current: string }) {
  const router = useRouter();
  const pathname = usePathname();
  return (
    <div className="field" style={{ maxWidth: '24rem' }}>
      <label htmlFor="project-picker">Project</label>
      <select id="project-picker" className="select" value={current} onChange={(e) => router.push(`${pathname}?projectId=${encodeURIComponent(e.target.value)}`)}>
        {projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}
