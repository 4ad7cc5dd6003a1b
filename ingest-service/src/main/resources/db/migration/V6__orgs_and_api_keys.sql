-- Issue #7: organisations and their API keys. Every row and vector already records its org_id; these tables say
-- which keys speak for which organisation. Keys are stored as SHA-256 hashes only (see ApiKeys).

create table orgs (
    id         text primary key,
    slug       text not null unique,
    name       text not null,
    created_at timestamptz not null default now()
);

-- The organisation of a single-tenant installation and of the bootstrap key (Orgs.DEFAULT).
insert into orgs (id, slug, name) values ('org_default', 'default', 'Default organisation');

create table api_keys (
    id                   text primary key,
    org_id               text not null references orgs (id),
    name                 text not null,
    key_hash             text not null unique,
    key_hint             text not null,
    role                 text not null check (role in ('admin', 'scoped')),
    container_tag        text,
    rate_limit_max       integer check (rate_limit_max > 0),
    rate_limit_window_ms bigint check (rate_limit_window_ms > 0),
    expires_at           timestamptz,
    revoked_at           timestamptz,
    created_by           text not null,
    created_at           timestamptz not null default now(),
    check ((role = 'scoped') = (container_tag is not null)),
    check ((rate_limit_max is null) = (rate_limit_window_ms is null))
);

create index api_keys_org on api_keys (org_id, created_at);
