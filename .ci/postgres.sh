# Start Debian's PostgreSQL cluster and create the test role and database.
# Sourced by .ci/run; also usable by hand: `source .ci/postgres.sh && start_postgres`.
PGPORT="${PGPORT:-5432}"

start_postgres() {
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h 2>/dev/null | grep -q "^${version} main"; then
    pg_createcluster "$version" main >/dev/null
  fi
  pg_ctlcluster "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$PGPORT" && break
    sleep 1
  done
  pg_isready -h 127.0.0.1 -p "$PGPORT"
  su postgres -c "psql -q -p $PGPORT -tc \"SELECT 1 FROM pg_roles WHERE rolname='treatywatch'\"" | grep -q 1 \
    || su postgres -c "psql -q -p $PGPORT -c \"CREATE ROLE treatywatch LOGIN SUPERUSER PASSWORD 'treatywatch'\""
  su postgres -c "psql -q -p $PGPORT -tc \"SELECT 1 FROM pg_database WHERE datname='treatywatch_test'\"" | grep -q 1 \
    || su postgres -c "createdb -p $PGPORT -O treatywatch treatywatch_test"
}
