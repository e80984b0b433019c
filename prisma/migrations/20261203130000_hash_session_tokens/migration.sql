-- Session tokens are stored as "sha256:<hex>" of the cookie's token (lib/auth/hashed-session-tokens.ts).
-- Hash the rows written before that, so people signed in stay signed in.
UPDATE "Session" SET "token" = 'sha256:' || encode(sha256(convert_to("token", 'UTF8')), 'hex') WHERE "token" NOT LIKE 'sha256:%';
