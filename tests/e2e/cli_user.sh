#!/bin/bash
# jimu user ... and jimu web, as an administrator runs them: users with roles, API tokens, the
# server over HTTP and HTTPS (a self-signed certificate made here), stopped by SIGTERM.
source "$(dirname "$0")/lib.sh"

run_jimu user add kacho.tanaka --role approver,manager --display '田中 課長' --password-stdin <<<'secret-pass-1'
expect_code 0 "user add"
expect_out "user kacho.tanaka added with roles approver,manager" "user add"
run_jimu user add kacho.tanaka --role clerk --password-stdin <<<'secret-pass-1'
expect_code 2 "user add twice"
expect_err "jimu: user kacho.tanaka exists already" "user add twice"
run_jimu user add somu --role clerk,boss --password-stdin <<<'secret-pass-1'
expect_code 2 "unknown role"
expect_err "jimu: unknown role 'boss' (clerk, author, approver, manager, admin)" "unknown role"
run_jimu user add somu --role clerk --password-stdin <<<'short'
expect_code 2 "short password"
expect_err "jimu: the password must have at least 8 characters" "short password"
# Without --password-stdin the password comes from the terminal only; setsid takes it away.
OUT=$(setsid -w "$JIMU" user add somu --role clerk </dev/null 2>"$WORK/stderr"); CODE=$?
ERR=$(cat "$WORK/stderr")
expect_code 2 "no terminal"
expect_err "jimu: cannot read a password from the terminal (use --password-stdin)" "no terminal"
run_jimu user add somu --role clerk --password-stdin <<<'secret-pass-2'
expect_code 0 "second user"

run_jimu user list --format json
expect_eq "$(json_get '[(u["name"], ",".join(u["roles"]), u["display_name"]) for u in j]')" \
  "[('kacho.tanaka', 'approver,manager', '田中 課長'), ('somu', 'clerk', 'somu')]" "user list"
run_jimu user role somu --role clerk,author
expect_out "user somu now has roles clerk,author" "user role"
run_jimu user disable somu
expect_out "user somu is disabled" "user disable"
run_jimu user list
expect_out "somu	somu	clerk,author	disabled" "list shows disabled"
run_jimu user enable somu
expect_code 0 "user enable"
run_jimu user passwd somu --password-stdin <<<'secret-pass-3'
expect_out "user somu has a new password" "user passwd"
run_jimu user passwd nobody --password-stdin </dev/null
expect_code 2 "passwd of nobody"
expect_err "jimu: user nobody does not exist" "passwd of nobody"
run_jimu user token kacho.tanaka
expect_code 0 "user token"
TOKEN=$OUT
case "$TOKEN" in jimu_????????????????????????????????????????????????????????????????) pass ;;
  *) fail "token format: $TOKEN" ;; esac
run_jimu audit export
expect_out '"action":"user.passwd"' "passwd audited"
expect_out '"action":"user.token"' "token audited"
case "$OUT" in *pbkdf2*|*"$TOKEN"*) fail "a secret reached the audit trail" ;; *) pass ;; esac

# start_web ARGS...: starts jimu web in the background; sets PID and URL.
start_web() {
  "$JIMU" web --listen 127.0.0.1:0 "$@" >"$WORK/web.out" 2>"$WORK/web.err" &
  PID=$!
  for _ in $(seq 50); do
    URL=$(sed -n 's#^jimu web: serving \([^ ]*\) .*#\1#p' "$WORK/web.out")
    [ -n "$URL" ] && return 0
    sleep 0.1
  done
  fail "jimu web did not start: $(cat "$WORK/web.err")"
}
stop_web() {
  kill -TERM "$PID"; wait "$PID"; CODE=$?
  expect_code 0 "jimu web stops on SIGTERM"
  expect_eq "$(tail -1 "$WORK/web.out")" "jimu web: stopped" "stop message"
}

start_web
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "${URL}api/runs")" "401" "API without token"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "${URL}api/kpi")" \
  "200" "API with token"
expect_eq "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "${URL}dashboard")" \
  "303 ${URL}login" "page without session"
stop_web

# HTTPS with a certificate from [web]: cookies get Secure.
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 \
  -keyout "$JIMU_HOME/key.pem" -out "$JIMU_HOME/cert.pem" 2>/dev/null
sed -i 's#^tls_cert =.*#tls_cert = cert.pem#; s#^tls_key =.*#tls_key = key.pem#' "$JIMU_HOME/jimu.conf"
start_web
case "$URL" in https://*) pass ;; *) fail "not https: $URL" ;; esac
HEADERS=$(curl -sk -D - -o /dev/null "${URL}login")
case "$HEADERS" in *"Set-Cookie: jimu_login_csrf="*"; Secure"*) pass ;; *) fail "no Secure cookie: $HEADERS" ;; esac
expect_eq "$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "${URL}api/runs")" \
  "200" "API over HTTPS"
stop_web

sed -i 's#^tls_key =.*#tls_key =#' "$JIMU_HOME/jimu.conf"
run_jimu web --listen 127.0.0.1:0
expect_code 2 "certificate without key"
expect_err "HTTPS needs both tls_cert and tls_key" "certificate without key"
run_jimu web --listen nowhere
expect_code 2 "bad listen"
expect_err "jimu: --listen: listen address 'nowhere' is not HOST:PORT like 127.0.0.1:8470" "bad listen"
finish
