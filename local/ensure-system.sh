#!/usr/bin/env bash
# Installs the Debian packages the local cloud and the tests need, only when missing:
# Java 17 runs DynamoDB Local (AWS's jar from the npm package amplify-dynamodb-simulator); Chromium runs the
# browser tests and the board benchmark's first render (playwright-core drives Debian's build: nothing downloads).
set -euo pipefail
missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
[ -x /usr/lib/chromium/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
