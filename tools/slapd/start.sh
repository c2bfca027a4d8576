#!/usr/bin/env bash
# start.sh <port> <dir> starts a throwaway OpenLDAP slapd (Debian `slapd` 2.5) for the LDAP tests,
# bound to 127.0.0.1:<port> only, with its config and data in <dir> (the system /etc/ldap/slapd.d is
# never touched). It writes the PID to <dir>/slapd.pid and prints the LDAP_TEST_URL to use.
# Directory (registry-interop §7): dc=example,dc=org with ou=people, ou=admins, ou=groups; users
# alice, bob, mallory (people) and carol (admins); service account cn=portcullis (password
# portcullis-service); root cn=admin (adminpw). Groups are added online, after start, because the
# memberof overlay ignores entries loaded with slapadd.
set -euo pipefail

PORT="${1:?usage: start.sh <port> <dir>}"
DIR="${2:?usage: start.sh <port> <dir>}"
[[ "${PORT}" =~ ^[0-9]+$ ]] || { echo "port must be a number: ${PORT}" >&2; exit 2; }
command -v slapd >/dev/null || PATH="${PATH}:/usr/sbin"
command -v slapd >/dev/null || { echo "slapd is not installed (apt-get install slapd ldap-utils)" >&2; exit 1; }

mkdir -p "${DIR}/db"
DIR="$(cd "${DIR}" && pwd)"
PIDFILE="${DIR}/slapd.pid"
URL="ldap://127.0.0.1:${PORT}/"

if [[ -f "${PIDFILE}" ]] && kill -0 "$(cat "${PIDFILE}")" 2>/dev/null; then
  echo "slapd already running with PID $(cat "${PIDFILE}") (${PIDFILE})" >&2
  exit 1
fi
port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null; }
if port_answers; then
  echo "port ${PORT} is already in use" >&2
  exit 1
fi

hash() { slappasswd -h '{SSHA}' -s "$1"; }

cat >"${DIR}/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
pidfile ${PIDFILE}
argsfile ${DIR}/slapd.args
database mdb
maxsize 67108864
suffix "dc=example,dc=org"
rootdn "cn=admin,dc=example,dc=org"
rootpw $(hash adminpw)
directory ${DIR}/db
index objectClass eq
index uid eq
index member,uniqueMember eq
overlay memberof
memberof-group-oc groupOfNames
memberof-member-ad member
memberof-memberof-ad memberOf
memberof-refint TRUE
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
CONF

person() { # person <rdn> <ou> <uid> <password> [mail]
  cat <<LDIF
dn: $1,ou=$2,dc=example,dc=org
objectClass: inetOrgPerson
objectClass: posixAccount
cn: $3
sn: $3
uid: $3
uidNumber: $((RANDOM + 10000))
gidNumber: 10000
homeDirectory: /home/$3
userPassword: $(hash "$4")
${5:+mail: $5}

LDIF
}

{
  cat <<LDIF
dn: dc=example,dc=org
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: cn=portcullis,dc=example,dc=org
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: portcullis
userPassword: $(hash portcullis-service)

LDIF
  for ou in people admins groups; do printf 'dn: ou=%s,dc=example,dc=org\nobjectClass: organizationalUnit\nou: %s\n\n' "${ou}" "${ou}"; done
  person uid=alice people alice alice-password alice@example.org
  person uid=bob people bob bob-password
  person uid=carol admins carol carol-password carol@example.org
  # NOTE: an escaped comma makes this DN *contain* ",ou=admins," without being under ou=admins: the
  # DN-injection case that string matching gets wrong.
  person 'cn=mallory\,ou=admins' people mallory mallory-password
} >"${DIR}/base.ldif"

slapadd -q -f "${DIR}/slapd.conf" -l "${DIR}/base.ldif" >"${DIR}/slapadd.log" 2>&1 || {
  cat "${DIR}/slapadd.log" >&2
  exit 1
}

# -s 0: no syslog noise; -h: one listener on loopback (never `slapd -V`, which starts the system daemon).
slapd -f "${DIR}/slapd.conf" -h "${URL}" -s 0 >"${DIR}/slapd.log" 2>&1 || {
  cat "${DIR}/slapd.log" >&2
  exit 1
}
for _ in $(seq 1 100); do
  port_answers && [[ -s "${PIDFILE}" ]] && break
  sleep 0.05
done
port_answers || { echo "slapd did not answer on 127.0.0.1:${PORT}; see ${DIR}/slapd.log" >&2; exit 1; }

ldapadd -x -H "${URL}" -D "cn=admin,dc=example,dc=org" -w adminpw >"${DIR}/ldapadd.log" 2>&1 <<LDIF || { cat "${DIR}/ldapadd.log" >&2; exit 1; }
dn: cn=developers,ou=groups,dc=example,dc=org
objectClass: groupOfNames
cn: developers
member: uid=alice,ou=people,dc=example,dc=org

dn: cn=qa,ou=groups,dc=example,dc=org
objectClass: groupOfUniqueNames
cn: qa
uniqueMember: uid=bob,ou=people,dc=example,dc=org
LDIF

echo "LDAP_TEST_URL=${URL}"
