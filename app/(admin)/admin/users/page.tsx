// Admin: every account, create accounts, change roles, deactivate and reactivate.
import type { Metadata } from 'next';
import { requirePageUser } from '@/lib/auth/current-user';
import { listUsers } from '@/lib/data/users/list-users';
import { RoleBadge } from '@/app/_components/role-badge';
import { formatDateTime } from '@/app/_components/format';
import { CreateUserForm } from './create-user-form';
import { UserActions } from './user-actions';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const me = await requirePageUser('ADMIN');
  const users = await listUsers();
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>Users</h1>
        <span className="muted">
          {users.filter((u) => u.active).length} active · {users.length} in all
        </span>
      </div>

      <section className="card" aria-labelledby="create-user-title">
        <h2 id="create-user-title" className="card-title">
          Create a user
        </h2>
        <CreateUserForm />
      </section>

      <section aria-labelledby="all-users-title" className="stack-sm">
        <h2 id="all-users-title">All users</h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <th scope="row">
                    {u.name}
                    {u.id === me.id && <span className="muted small"> (you)</span>}
                  </th>
                  <td>{u.email}</td>
                  <td>
                    <RoleBadge role={u.role} />
                  </td>
                  <td>
                    {u.active ? (
                      <span className="badge badge-success">Active</span>
                    ) : (
                      <span className="badge badge-danger" title={`Deactivated ${formatDateTime(u.deactivatedAt)}`}>
                        Deactivated
                      </span>
                    )}
                  </td>
                  <td className="nowrap small">{formatDateTime(u.createdAt)}</td>
                  <td>
                    <UserActions user={u} isSelf={u.id === me.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
