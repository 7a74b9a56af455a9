#!/usr/bin/env bash
# Serves the workbench to a whole company (issue 18): N app processes (default: one per core) behind
# nginx with sticky sessions, all reading the published snapshots of one database; writes (uploads,
# settings, accounts, the audit log) go to the database file, one writer at a time.
#
#   APP_PROCESSES=N          app processes (default: the number of cores)
#   APP_ADDRESS, APP_PORT    where nginx listens (default 127.0.0.1:8501: this computer only)
#   APP_BACKEND_PORT         the first app process's port (default APP_PORT+1; they listen on 127.0.0.1)
#   SERVE_DIR                nginx's configuration, logs and pid file (default data/serve)
#   OPS_DB                   the database (default data/ops.duckdb); its snapshots go to snapshots/ beside it
#   SERVE_SETUP=0            skip scripts/setup.sh (the virtual environment is ready: the tests)
#
# nginx comes from Debian's packages (installed with apt-get when missing and running as root).
# Stop with Ctrl-C or SIGTERM: every process it started is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077  # the database, its snapshots, logs: readable by their owner only
[ "${SERVE_SETUP:-1}" = "0" ] || bash scripts/setup.sh

processes=${APP_PROCESSES:-$(nproc)}
address=${APP_ADDRESS:-127.0.0.1}
port=${APP_PORT:-8501}
backend=${APP_BACKEND_PORT:-$((port + 1))}
serve_dir=$(realpath -m "${SERVE_DIR:-data/serve}")

nginx_bin=$(command -v nginx || true)
[ -n "$nginx_bin" ] || { [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx; } || true
if [ -z "$nginx_bin" ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
    nginx_bin=/usr/sbin/nginx
  else
    echo "nginx is missing: install Debian's package (apt-get install nginx) as root, then run this again" >&2
    exit 1
  fi
fi

.venv/bin/python -m analytics.bootstrap   # an empty database gets the sample company
.venv/bin/python -m analytics.snapshots   # the first snapshot, before any app process reads

mkdir -p "$serve_dir/tmp"
secret_file="$serve_dir/cookie_secret"  # one secret for every process: a session's cookies work on each
[ -s "$secret_file" ] || .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(32))" > "$secret_file"
export STREAMLIT_SERVER_COOKIE_SECRET
STREAMLIT_SERVER_COOKIE_SECRET=$(cat "$secret_file")

# Behind a proxy the app sees every request coming from 127.0.0.1. When nginx itself listens on this
# computer only, everyone who reaches it is on this computer, as with the app alone; otherwise nginx
# adds X-Forwarded-For, and the app treats no request as local (accounts or company sign-in needed).
case "$address" in
  127.*|localhost|::1|\[::1\]) forwarded="" ;;
  *) forwarded="proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto \$scheme;" ;;
esac
upstreams=""
for ((i = 0; i < processes; i++)); do upstreams+="    server 127.0.0.1:$((backend + i)) max_fails=0;"$'\n'; done
listen=$address; [[ "$address" == *:* && "$address" != \[* ]] && listen="[$address]"
user_line=""; [ "$(id -u)" = "0" ] && user_line="user root root;"  # workers as the app's account: its files stay its own

cat > "$serve_dir/nginx.conf" <<EOF
# Written by scripts/serve.sh; do not edit (see README, Serving a whole company).
$user_line
worker_processes 1;
pid $serve_dir/nginx.pid;
error_log $serve_dir/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  log_format routed '\$remote_addr [\$time_local] "\$request" \$status \$upstream_addr \$request_time';
  access_log $serve_dir/access.log routed;
  client_body_temp_path $serve_dir/tmp/body;
  proxy_temp_path $serve_dir/tmp/proxy;
  fastcgi_temp_path $serve_dir/tmp/fastcgi;
  uwsgi_temp_path $serve_dir/tmp/uwsgi;
  scgi_temp_path $serve_dir/tmp/scgi;
  client_max_body_size 200m;  # = server.maxUploadSize in .streamlit/config.toml
  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
  # Sticky sessions: a browser's first request picks a process at random and gets a cookie naming the
  # pick; every later request (the websocket, uploads, downloads) goes to the same process.
  map \$cookie_workbench_route \$route_key { "" \$request_id; default \$cookie_workbench_route; }
  upstream workbench {
    hash \$route_key consistent;
$upstreams  }
  server {
    listen $listen:$port;
    location / {
      proxy_pass http://workbench;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header Host \$http_host;
      $forwarded
      proxy_read_timeout 1d;
      proxy_buffering off;
      proxy_request_buffering off;
      add_header Set-Cookie "workbench_route=\$route_key; Path=/; HttpOnly; SameSite=Lax" always;
      add_header X-Frame-Options "DENY" always;
      add_header Content-Security-Policy "frame-ancestors 'none'" always;
      add_header X-Content-Type-Options "nosniff" always;
    }
  }
}
EOF

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 0' INT TERM
for ((i = 0; i < processes; i++)); do
  .venv/bin/streamlit run app.py --server.address=127.0.0.1 --server.port=$((backend + i)) \
    --server.headless=true --server.fileWatcherType=none --browser.gatherUsageStats=false \
    >"$serve_dir/app-$((backend + i)).log" 2>&1 &
  pids+=($!)
done
"$nginx_bin" -p "$serve_dir" -c "$serve_dir/nginx.conf" -e "$serve_dir/error.log" &
pids+=($!)
.venv/bin/python - "$processes" "$backend" <<'EOF'
import sys, time, urllib.request
count, first = int(sys.argv[1]), int(sys.argv[2])
deadline = time.monotonic() + 120
for port in range(first, first + count):
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > deadline:
                sys.exit(f"the app process on port {port} did not start (see its log)")
            time.sleep(0.3)
EOF
echo "总经理助理周度复盘工作台: http://$address:$port ($processes app processes, logs in $serve_dir)"
wait -n "${pids[@]}"  # one of them stopped: stop the rest
echo "a process stopped; stopping the others (logs in $serve_dir)" >&2
exit 1
