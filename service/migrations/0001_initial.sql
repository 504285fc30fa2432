-- DecisionLog schema: users, projects (with members), transcripts from Tactiq webhooks, their
-- extraction jobs, and the decisions Claude extracts. Plain SQL for PostgreSQL 15 and PGlite.

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE projects (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  description text,
  -- Idempotency-Key of the POST that created it: a retried or repeated create returns the same project.
  idempotency_key text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX projects_owner_idx ON projects (owner_id, created_at DESC);
CREATE UNIQUE INDEX projects_idempotency_key ON projects (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE project_members (
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_user_idx ON project_members (user_id);

CREATE TABLE transcripts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  source text NOT NULL DEFAULT 'tactiq',
  external_id text,
  title text,
  content text NOT NULL,
  meeting_at timestamptz,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transcripts_project_idx ON transcripts (project_id, received_at DESC);

-- One row per webhook-id: a redelivered webhook is recognised and stored only once.
CREATE TABLE webhook_deliveries (
  webhook_id text PRIMARY KEY,
  source text NOT NULL,
  event_type text,
  transcript_id uuid REFERENCES transcripts (id) ON DELETE SET NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE extraction_jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transcript_id uuid NOT NULL UNIQUE REFERENCES transcripts (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  run_after timestamptz NOT NULL DEFAULT now(),
  locked_by text,
  locked_until timestamptz,
  last_error text,
  decisions_count integer,
  cost_usd numeric(12, 6),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX extraction_jobs_ready_idx ON extraction_jobs (run_after, id) WHERE status = 'pending';
CREATE INDEX extraction_jobs_lease_idx ON extraction_jobs (locked_until) WHERE status = 'processing';

CREATE TABLE decisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  transcript_id uuid REFERENCES transcripts (id) ON DELETE SET NULL,
  title text NOT NULL,
  rationale text,
  owner text,
  confidence real CHECK (confidence >= 0 AND confidence <= 1),
  quote text,
  created_at timestamptz NOT NULL DEFAULT now(),
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(rationale, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(quote, '')), 'C')
  ) STORED
);
CREATE INDEX decisions_project_created_idx ON decisions (project_id, created_at DESC, id DESC);
CREATE INDEX decisions_search_idx ON decisions USING gin (search);
CREATE INDEX decisions_transcript_idx ON decisions (transcript_id);
