#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks of Kilde's team store.
#
#   scripts/postgres.sh [start] DIR   create (once) and start a cluster in DIR; prints its URL
#   scripts/postgres.sh stop DIR      stop it (the files stay; `rm -rf DIR` removes them)
#   scripts/postgres.sh url DIR       print the URL of the cluster in DIR
#   scripts/postgres.sh install       only install the server binaries when missing (scripts/test.sh)
#
# When no server binaries are installed (/usr/lib/postgresql/*/bin/pg_ctl), Debian's `postgresql`
# package is installed with apt-get (with sudo when not root; no default cluster is created).
# The cluster listens on a free loopback port and on a unix socket inside DIR, accepts password
# logins over TCP only (scram-sha-256; a random password for the superuser `kilde`), and has a
# database `kilde`. PostgreSQL refuses to run as root, so as root the cluster belongs to the
# `postgres` system user, and DIR must be reachable by it (e.g. a directory under /tmp).
set -euo pipefail

usage() {
    echo "usage: $0 [start|stop|url] DIR | $0 install" >&2
    exit 2
}

command=start
case "${1:-}" in
    start | stop | url | install) command=$1; shift ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
esac
if [ "$command" = install ]; then
    [ $# -eq 0 ] || usage
    set -- /nonexistent  # no cluster directory: install_server is all this command does
fi
[ $# -eq 1 ] || usage
dir=$1
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac
data="$dir/data"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

bin_dir() {
    # the newest installed major version
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$found" ] && [ -x "$found/pg_ctl" ]; then echo "$found"; fi
}

install_server() {
    echo "postgres.sh: no PostgreSQL server found; installing Debian's postgresql package …" >&2
    command -v apt-get >/dev/null || { echo "postgres.sh: no apt-get here; install the PostgreSQL server binaries yourself" >&2; exit 1; }
    # the package would create and start a default cluster; we make our own
    as_root mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.d/kilde-no-main.conf >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
}

# Run a command as the cluster's owner: the postgres system user when we are root, else ourselves.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

running() {
    [ -f "$data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

if [ "$command" = url ]; then
    [ -f "$dir/url" ] || { echo "postgres.sh: no cluster in $dir" >&2; exit 1; }
    cat "$dir/url"
    exit 0
fi

bin=$(bin_dir)
if [ "$command" = install ]; then
    [ -n "$bin" ] || install_server
    bin=$(bin_dir)
    [ -n "$bin" ] || { echo "postgres.sh: the postgresql package did not install a server under /usr/lib/postgresql" >&2; exit 1; }
    echo "postgres.sh: PostgreSQL server binaries in $bin" >&2
    exit 0
fi
if [ "$command" = stop ]; then
    [ -n "$bin" ] || { echo "postgres.sh: no PostgreSQL server installed" >&2; exit 1; }
    if running; then
        as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >&2
    else
        echo "postgres.sh: no server running in $dir" >&2
    fi
    exit 0
fi

if [ -z "$bin" ]; then
    install_server
    bin=$(bin_dir)
    [ -n "$bin" ] || { echo "postgres.sh: the postgresql package did not install a server under /usr/lib/postgresql" >&2; exit 1; }
fi

mkdir -p "$dir"
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "postgres.sh: running as root and there is no postgres user to own the cluster" >&2; exit 1; }
    chown postgres: "$dir"
    runuser -u postgres -- test -w "$dir" || { echo "postgres.sh: the postgres user cannot reach $dir (a parent directory is private); use a directory under /tmp" >&2; exit 1; }
fi

if [ ! -f "$data/PG_VERSION" ]; then
    password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    pwfile="$dir/.pw"
    (umask 077 && printf '%s\n' "$password" > "$pwfile")
    [ "$(id -u)" -ne 0 ] || chown postgres: "$pwfile"
    # C.UTF-8: UTF-8 text, byte-order sorting (as SQLite), Unicode upper/lower
    as_owner "$bin/initdb" -D "$data" -U kilde --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$pwfile"
    # A throwaway cluster for tests: no fsync. In the configuration file, not on the command line, so that
    # ALTER SYSTEM (postgresql.auto.conf) can turn durability back on, as benchmarks/store.py does.
    printf '\n# scripts/postgres.sh: a throwaway cluster\nfsync = off\nfull_page_writes = off\nsynchronous_commit = off\n' \
        | as_owner tee -a "$data/postgresql.conf" >/dev/null
    printf '%s\n' "$password" > "$dir/password"
    chmod 600 "$dir/password"
fi

if ! running; then
    started=""
    for _ in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 40000))
        port_in_use "$port" && continue
        if as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" start >/dev/null; then
            started=$port
            break
        fi
    done
    [ -n "$started" ] || { echo "postgres.sh: the server did not start; see $dir/server.log" >&2; tail -n 20 "$dir/server.log" >&2; exit 1; }
    echo "$started" > "$dir/port"
    as_owner "$bin/psql" -h "$dir" -p "$started" -U kilde -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = 'kilde'" | grep -q 1 \
        || as_owner "$bin/createdb" -h "$dir" -p "$started" -U kilde kilde
    echo "postgresql://kilde:$(cat "$dir/password")@127.0.0.1:$started/kilde" > "$dir/url"
fi
cat "$dir/url"
