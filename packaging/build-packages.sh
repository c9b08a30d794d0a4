#!/usr/bin/env bash
# Builds the release artifacts from the shaded jar, run by Maven in the package phase (sensor-daemon/pom.xml):
#   target/dbwire-VERSION.tar.gz   jar, bin/dbwire launcher, config, unit + live-capture drop-in, sysusers.d,
#                                  logrotate snippet, Grafana dashboard, docs, training captures (aot-cache)
#   target/dbwire_DEBVERSION_all.deb   the same laid out for Debian, a service enabled but not started
# The .deb needs dpkg-deb (every Debian/Ubuntu has it); without it only the tarball is built, with a note.
# Usage: build-packages.sh VERSION TARGET_DIR
set -euo pipefail
version=$1
target=$(readlink -f "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$target/dbwire.jar"
[ -f "$jar" ] || { echo "build-packages: $jar missing (run the shade step first)" >&2; exit 1; }

stage="$target/package"
rm -rf "$stage"
mkdir -p "$stage"

# Files every layout ships, with their modes: config files 0644 (the .deb tightens them), scripts 0755.
docs=(README.md LICENSE docs/aws.md docs/troubleshooting.md docs/metrics.md docs/alerts.md docs/records.md
      docs/architecture.md docs/reassembly.md docs/tls.md)

# Small captures of both protocols for the training replay of `dbwire aot-cache` (JDK 25+).
training=(pg-basic-vxlan.pcap mysql-basic.pcap)

# --- tarball: dbwire-VERSION/{bin,lib,config,docs} -------------------------------------------------------------
t="$stage/dbwire-$version"
install -D -m 0755 "$root/packaging/bin/dbwire" "$t/bin/dbwire"
install -D -m 0644 "$jar" "$t/lib/dbwire.jar"
install -D -m 0644 "$root/config/dbwire.yml" "$t/config/dbwire.yml"
install -D -m 0644 "$root/config/policy.yml" "$t/config/policy.yml"
install -D -m 0644 "$root/config/logback.xml" "$t/config/logback.xml"
install -D -m 0644 "$root/config/dbwire.service" "$t/config/systemd/dbwire.service"
install -D -m 0644 "$root/config/dbwire.service.d/live-capture.conf" "$t/config/systemd/dbwire.service.d/live-capture.conf"
install -D -m 0644 "$root/config/sysusers.d/dbwire.conf" "$t/config/sysusers.d/dbwire.conf"
install -D -m 0644 "$root/config/logrotate.d/dbwire" "$t/config/logrotate.d/dbwire"
install -D -m 0644 "$root/config/grafana-dashboard.json" "$t/config/grafana-dashboard.json"
for d in "${docs[@]}"; do
    [ -f "$root/$d" ] && install -D -m 0644 "$root/$d" "$t/$d"
done
for c in "${training[@]}"; do
    install -D -m 0644 "$root/testdata/$c" "$t/training/$c"
done
tar --owner=0 --group=0 --numeric-owner --sort=name -C "$stage" -czf "$target/dbwire-$version.tar.gz" "dbwire-$version"

# --- .deb ----------------------------------------------------------------------------------------------------
if ! command -v dpkg-deb >/dev/null 2>&1; then
    echo "build-packages: dpkg-deb not found: built the tarball only" >&2
    exit 0
fi
debversion=${version/-SNAPSHOT/~snapshot}-1
d="$stage/deb"
install -D -m 0644 "$jar" "$d/usr/share/dbwire/lib/dbwire.jar"
install -D -m 0755 "$root/packaging/bin/dbwire" "$d/usr/share/dbwire/bin/dbwire"
for c in "${training[@]}"; do
    install -D -m 0644 "$root/testdata/$c" "$d/usr/share/dbwire/training/$c"
done
mkdir -p "$d/usr/bin"
ln -s ../share/dbwire/bin/dbwire "$d/usr/bin/dbwire"
install -D -m 0644 "$root/config/dbwire.yml" "$d/etc/dbwire/dbwire.yml"
install -D -m 0644 "$root/config/logback.xml" "$d/etc/dbwire/logback.xml"
install -D -m 0644 "$root/config/dbwire.service" "$d/lib/systemd/system/dbwire.service"
install -D -m 0644 "$root/config/sysusers.d/dbwire.conf" "$d/usr/lib/sysusers.d/dbwire.conf"
ex="$d/usr/share/doc/dbwire/examples"
install -D -m 0644 "$root/config/dbwire.service.d/live-capture.conf" "$ex/live-capture.conf"
install -D -m 0644 "$root/config/logrotate.d/dbwire" "$ex/logrotate"
install -D -m 0644 "$root/config/grafana-dashboard.json" "$ex/grafana-dashboard.json"
install -D -m 0644 "$root/config/policy.yml" "$ex/policy.yml"
for doc in "${docs[@]}"; do
    [ -f "$root/$doc" ] && install -D -m 0644 "$root/$doc" "$d/usr/share/doc/dbwire/$(basename "$doc")"
done
mkdir -p "$d/DEBIAN"
sed "s/@VERSION@/$debversion/" "$root/packaging/debian/control" > "$d/DEBIAN/control"
echo "Installed-Size: $(du -sk --exclude=DEBIAN "$d" | cut -f1)" >> "$d/DEBIAN/control"
install -m 0644 "$root/packaging/debian/conffiles" "$d/DEBIAN/conffiles"
for s in postinst prerm postrm; do
    install -m 0755 "$root/packaging/debian/$s" "$d/DEBIAN/$s"
done
rm -f "$target"/dbwire_*.deb
dpkg-deb --root-owner-group -Zgzip --build "$d" "$target/dbwire_${debversion}_all.deb" >/dev/null
echo "build-packages: $target/dbwire-$version.tar.gz $target/dbwire_${debversion}_all.deb"
