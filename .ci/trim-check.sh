#!/usr/bin/env bash
# Publishes a small receiver app (.ci/trim-check/Program.cs) on Webhooks.Core and Webhooks.Receiver with
# PublishTrimmed and runs it. Any trim warning fails the check: Core and Receiver claim IsAotCompatible.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/webhooks-trim-check.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
started=$SECONDS

cp .ci/trim-check/Program.cs "$WORK/Program.cs"
cat >"$WORK/TrimCheck.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
    <PublishTrimmed>true</PublishTrimmed>
    <TrimmerSingleWarn>false</TrimmerSingleWarn>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$ROOT/src/Webhooks.Core/Webhooks.Core.csproj" />
    <ProjectReference Include="$ROOT/src/Webhooks.Receiver/Webhooks.Receiver.csproj" />
  </ItemGroup>
</Project>
XML

echo "trim-check: publishing with PublishTrimmed"
dotnet publish "$WORK/TrimCheck.csproj" -c Release -o "$WORK/out" --nologo -v quiet -clp:ErrorsOnly
"$WORK/out/TrimCheck"
echo "trim-check: passed in $((SECONDS - started)) s"
