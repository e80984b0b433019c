// Input schemas for account management, shared by the JSON API and the admin page's actions.
import { z } from 'zod';
import { ROLES, type Role } from '../../auth/roles';
import { quote } from '../../shared/text-safety';

export const MIN_PASSWORD = 10;

export const roleSchema = z.enum(ROLES as [Role, ...Role[]], {
  error: (iss) =>
    iss.input === undefined ? 'Choose a role' : `Unknown role "${quote(String(iss.input))}": use one of ${ROLES.join(', ')}`,
});

export const emailSchema = z
  .string({ error: 'Enter an email address' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: (iss) => `"${quote(String(iss.input))}" is not a valid email address` }).max(254, 'That email address is too long'));

export const passwordSchema = z
  .string({ error: 'Enter a password' })
  .min(MIN_PASSWORD, `The password must be at least ${MIN_PASSWORD} characters`)
  .max(256, 'The password must be at most 256 characters');

export const createUserInput = z.strictObject({
  name: z.string({ error: 'Enter a name' }).trim().min(1, 'Enter a name').max(100, 'The name must be at most 100 characters'),
  email: emailSchema,
  password: passwordSchema,
  role: roleSchema,
});
export type CreateUserInput = z.infer<typeof createUserInput>;

export const updateUserInput = z
  .strictObject({ role: roleSchema.optional(), active: z.boolean({ error: 'active must be true or false' }).optional() })
  .refine((v) => v.role !== undefined || v.active !== undefined, { message: 'Send role and/or active' });
export type UpdateUserInput = z.infer<typeof updateUserInput>;
