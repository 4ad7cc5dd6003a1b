-- Claiming walks the queue in its own order and stops after a few rows (see ExtractionJobs.claim). The older index,
-- on (next_attempt_at, created_at), made each claim read every pending job and sort them: quadratic over a bulk
-- import that queues thousands of jobs at once.
create index extraction_jobs_queue_ix on extraction_jobs (created_at, revision) where status = 'pending';
create index extraction_jobs_lease_ix on extraction_jobs (updated_at) where status = 'running';
drop index extraction_jobs_due_ix;
