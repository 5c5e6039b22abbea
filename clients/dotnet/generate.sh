#!/usr/bin/env bash
# Regenerates the .NET client's code (clients/dotnet/PartnerQualifications.Gateway.Client/Generated)
# from docs/openapi.json with Kiota, the version pinned in .config/dotnet-tools.json (restored
# from NuGet on first use). Re-runnable: the folder is replaced whole, so a regeneration from an
# unchanged document leaves no diff (CI checks that). `npm run clients:dotnet` runs this.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=clients/dotnet/PartnerQualifications.Gateway.Client/Generated

# No update check, telemetry or hints: the same output on a machine without internet access.
export KIOTA_OFFLINE_ENABLED=true KIOTA_CLI_TELEMETRY_OPTOUT=true KIOTA_TUTORIAL_ENABLED=false
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
rm -rf "$out"
dotnet kiota generate --language CSharp --openapi docs/openapi.json --output "$out" \
  --namespace-name PartnerQualifications.Gateway.Client --class-name GatewayClient \
  --clean-output --log-level Warning
rm -f "$out/.kiota.log"
