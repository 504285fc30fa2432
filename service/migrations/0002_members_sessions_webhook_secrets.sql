-- Team sharing with roles, revocable tokens and per-project webhook secrets.

-- Roles: owner (manages members and the webhook), editor (reads and adds decisions), viewer (reads).
-- Old rows had no defined meaning beyond "can read": member → viewer, admin → editor (least privilege).
ALTER TABLE project_members DROP CONSTRAINT project_members_role_check;
UPDATE project_members SET role = CASE role WHEN 'admin' THEN 'editor' ELSE 'viewer' END;
ALTER TABLE project_members ALTER COLUMN role SET DEFAULT 'viewer';
ALTER TABLE project_members ADD CONSTRAINT project_members_role_check CHECK (role IN ('owner', 'editor', 'viewer'));

-- An email added before it has an account: it becomes a member when that email registers, so adding
-- a member never tells the owner whether an account exists.
CREATE TABLE project_invites (
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  email text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX project_invites_key ON project_invites (project_id, lower(email));
CREATE INDEX project_invites_email_idx ON project_invites (lower(email));

-- Every access token carries the version it was issued with; raising it (logout) revokes them all.
ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0;

-- Each project verifies its own webhooks; the previous secret keeps working for a day after a rotation.
ALTER TABLE projects ADD COLUMN webhook_secret text;
ALTER TABLE projects ADD COLUMN webhook_secret_previous text;
ALTER TABLE projects ADD COLUMN webhook_secret_rotated_at timestamptz;

-- Which project a delivery was for: a repeated webhook-id only reports the transcript of its own
-- project. The key stays webhook_id alone, so the previous app version keeps working after a rollback.
ALTER TABLE webhook_deliveries ADD COLUMN project_id uuid REFERENCES projects (id) ON DELETE CASCADE;
UPDATE webhook_deliveries d SET project_id = t.project_id FROM transcripts t WHERE t.id = d.transcript_id;
