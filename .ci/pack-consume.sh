#!/usr/bin/env bash
# Packs every src project into a temp folder with a unique prerelease version, then builds a fresh app
# (samples/Webhooks.Samples.App/Program.cs, the README's "In your app") that references those packages only:
# Webhooks.* come from the temp folder, their dependencies from the machine's default source. Runs it twice in a
# row on the same data folder (database and secret kept between runs); both runs must deliver. Exits non-zero on
# any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
VERSION="0.1.0-ci.$(date +%Y%m%d%H%M%S)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/webhooks-pack-consume.XXXXXX")"
FEED="$WORK/feed"
APP="$WORK/app"
cleanup() {
  rm -rf "$WORK"
  # The unique version was extracted into the global packages folder; remove it so runs do not pile up.
  for p in "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/webhooks.*; do rm -rf "$p/$VERSION"; done
}
trap cleanup EXIT
started=$SECONDS

echo "pack-consume: packing $VERSION into $FEED"
for csproj in src/*/*.csproj; do
  dotnet pack "$csproj" -c Release -o "$FEED" -p:Version="$VERSION" --nologo -v quiet -clp:ErrorsOnly
done
expected=$(ls src | wc -l)
found=$(ls "$FEED"/*.$VERSION.nupkg | wc -l)
symbols=$(ls "$FEED"/*.$VERSION.snupkg | wc -l)
[ "$found" -eq "$expected" ] || { echo "pack-consume: expected $expected packages, found $found"; exit 1; }
[ "$symbols" -eq "$expected" ] || { echo "pack-consume: expected $expected symbol packages, found $symbols"; exit 1; }

# Each package carries its README, the MIT expression and the repository metadata.
for nupkg in "$FEED"/*.$VERSION.nupkg; do
  nuspec="$(unzip -p "$nupkg" '*.nuspec')"
  for needle in '<license type="expression">MIT</license>' '<readme>README.md</readme>' '<repository type="git"' '<description>' '<tags>'; do
    grep -qF "$needle" <<<"$nuspec" || { echo "pack-consume: $(basename "$nupkg") lacks $needle"; exit 1; }
  done
  unzip -l "$nupkg" README.md >/dev/null || { echo "pack-consume: $(basename "$nupkg") has no README.md"; exit 1; }
done

mkdir -p "$APP"
cp samples/Webhooks.Samples.App/Program.cs "$APP/Program.cs"
cat >"$APP/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="webhooks-local" value="$FEED" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="webhooks-local">
      <package pattern="Webhooks.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
XML
cat >"$APP/PackConsume.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Webhooks.Sender" Version="$VERSION" />
    <PackageReference Include="Webhooks.Sender.Sqlite" Version="$VERSION" />
    <PackageReference Include="Webhooks.Receiver" Version="$VERSION" />
  </ItemGroup>
</Project>
XML

echo "pack-consume: building a fresh app against the packages"
(cd "$APP" && dotnet build -c Release --nologo -v quiet -clp:ErrorsOnly)
# The restore took Webhooks.* from the local folder only.
grep -q "\"Webhooks.Core/$VERSION\"" "$APP/obj/project.assets.json" || { echo "pack-consume: Webhooks.Core $VERSION not restored"; exit 1; }

# The app keeps its database and secret in the local application data folder; point that at the temp folder.
for run in 1 2; do
  echo "pack-consume: running it (run $run of 2)"
  output="$(cd "$APP" && XDG_DATA_HOME="$WORK/data" timeout 120 dotnet bin/Release/net10.0/PackConsume.dll 2>&1)" || { echo "$output"; echo "pack-consume: run $run failed"; exit 1; }
  grep -E "^app:|Order 42 created" <<<"$output"
  grep -q "Order 42 created" <<<"$output" || { echo "$output"; echo "pack-consume: the handler did not run in run $run"; exit 1; }
  grep -q "delivered and verified" <<<"$output" || { echo "$output"; echo "pack-consume: run $run did not deliver"; exit 1; }
done
[ -f "$WORK/data/webhooks-app/webhooks.db" ] || { echo "pack-consume: the database is not in the data folder"; exit 1; }

# A second fresh app for the dashboard package: it maps the dashboard, stores a message (no dispatcher, nothing
# is sent anywhere) and fetches the message's page from itself on loopback.
DASH="$WORK/dashboard"
mkdir -p "$DASH"
cp "$APP/nuget.config" "$DASH/nuget.config"
cat >"$DASH/DashboardConsume.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Webhooks.Sender.Sqlite" Version="$VERSION" />
    <PackageReference Include="Webhooks.Dashboard" Version="$VERSION" />
  </ItemGroup>
</Project>
XML
cat >"$DASH/Program.cs" <<'CS'
using Webhooks.Dashboard;
using Webhooks.Sender;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddWebhookSender(o => o.DispatcherEnabled = false)
    .UseSqlite($"Data Source={Path.Combine(args[0], "dashboard.db")}");
builder.Services.AddAntiforgery();
var app = builder.Build();
app.MapWebhookDashboard("/dashboard");
await app.StartAsync();

await app.Services.GetRequiredService<IWebhookSubscriptions>().CreateAsync(new("https://hooks.example.com/in"));
var messageId = await app.Services.GetRequiredService<IWebhookPublisher>().PublishAsync("order.created", new { id = 42 });
using var http = new HttpClient();
var html = await http.GetStringAsync($"{app.Urls.First()}/dashboard/messages/{messageId}");
await app.StopAsync();
if (!html.Contains("order.created", StringComparison.Ordinal))
{
    Console.WriteLine("dashboard: the message page does not show the message");
    return 1;
}

Console.WriteLine($"dashboard: shows {messageId} at /dashboard");
return 0;
CS
echo "pack-consume: building and running a fresh dashboard app against the packages"
(cd "$DASH" && dotnet build -c Release --nologo -v quiet -clp:ErrorsOnly)
mkdir -p "$WORK/dashdata"
output="$(cd "$DASH" && timeout 120 dotnet bin/Release/net10.0/DashboardConsume.dll "$WORK/dashdata" 2>&1)" || { echo "$output"; echo "pack-consume: the dashboard app failed"; exit 1; }
grep -q "^dashboard: shows" <<<"$output" || { echo "$output"; echo "pack-consume: the dashboard did not answer"; exit 1; }
grep "^dashboard:" <<<"$output"
# --- Webhooks.Management -------------------------------------------------------------------------------------
# A fresh app on the management package: maps the API in one line (in-memory store, no dispatcher), creates an
# endpoint, publishes through the API and reads the event catalog's schema, from itself on loopback.
MGMT="$WORK/management"
mkdir -p "$MGMT"
cp "$APP/nuget.config" "$MGMT/nuget.config"
cat >"$MGMT/ManagementConsume.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Webhooks.Management" Version="$VERSION" />
  </ItemGroup>
</Project>
XML
cat >"$MGMT/Program.cs" <<'CS'
using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.Core;
using Webhooks.Management;
using Webhooks.Sender;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddWebhookSender(o => o.DispatcherEnabled = false).AddEventType<OrderCreated>("An order was placed.");
var app = builder.Build();
app.MapWebhookManagementApi("/api/webhooks", o => o.EnablePublish = true);
await app.StartAsync();

using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
var created = await http.PostAsJsonAsync("/api/webhooks/endpoints", new { url = "https://hooks.example.com/in" });
var published = await http.PostAsJsonAsync("/api/webhooks/messages", new { eventType = "order.created", data = new { orderId = 42 } });
var catalog = await http.GetFromJsonAsync<JsonElement>("/api/webhooks/event-types");
var bad = await http.PostAsync("/api/webhooks/endpoints", new StringContent("not json", System.Text.Encoding.UTF8, "application/json"));
await app.StopAsync();
var schema = catalog.GetProperty("items")[0].GetProperty("schema").GetProperty("properties");
if ((int)created.StatusCode != 201 || (int)published.StatusCode != 202 || !schema.TryGetProperty("orderId", out _) || (int)bad.StatusCode != 400)
{
    Console.WriteLine($"management: unexpected answers {(int)created.StatusCode} {(int)published.StatusCode} {(int)bad.StatusCode} {catalog}");
    return 1;
}

Console.WriteLine("management: created an endpoint, published, listed the catalog with its schema");
return 0;

[WebhookEvent("order.created")]
internal sealed record OrderCreated(int OrderId);
CS
echo "pack-consume: building and running a fresh management API app against the packages"
(cd "$MGMT" && dotnet build -c Release --nologo -v quiet -clp:ErrorsOnly)
output="$(cd "$MGMT" && timeout 120 dotnet bin/Release/net10.0/ManagementConsume.dll 2>&1)" || { echo "$output"; echo "pack-consume: the management app failed"; exit 1; }
grep -q "^management: created" <<<"$output" || { echo "$output"; echo "pack-consume: the management API did not answer"; exit 1; }
grep "^management:" <<<"$output"
# --- end Webhooks.Management ---------------------------------------------------------------------------------

# --- Webhooks.Testing and the webhooks tool (issue 15) ------------------------------------------------------------
# A fresh app consumes Webhooks.Testing: it posts a signed request to the package's loopback test endpoint, which must
# verify it. Then the tool is installed from the local package folder into a tool path, and signs and verifies the
# Standard Webhooks reference vector (and rejects a tampered body).
TESTING="$WORK/testing"
mkdir -p "$TESTING"
cp "$APP/nuget.config" "$TESTING/nuget.config"
cat >"$TESTING/TestingConsume.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Webhooks.Testing" Version="$VERSION" />
  </ItemGroup>
</Project>
XML
cat >"$TESTING/Program.cs" <<'CS'
using Webhooks.Testing;

await using var endpoint = await WebhookTestEndpoint.StartAsync();
using var client = new HttpClient();
using var response = await client.PostWebhookAsync(endpoint.Url.ToString(), """{"type":"order.created","data":{}}""", WebhookTestSigner.StandardWebhooks(endpoint.Secret));
var delivery = endpoint.Deliveries.Single();
if (!delivery.Verified || (int)response.StatusCode != 200)
{
    Console.WriteLine($"testing: the test endpoint answered {(int)response.StatusCode}, verified: {delivery.Verified}");
    return 1;
}

Console.WriteLine($"testing: signed, delivered and verified ({delivery.MessageId})");
return 0;
CS
echo "pack-consume: building and running a fresh app against Webhooks.Testing"
(cd "$TESTING" && dotnet build -c Release --nologo -v quiet -clp:ErrorsOnly)
output="$(cd "$TESTING" && timeout 120 dotnet bin/Release/net10.0/TestingConsume.dll 2>&1)" || { echo "$output"; echo "pack-consume: the Webhooks.Testing app failed"; exit 1; }
grep "^testing:" <<<"$output"

echo "pack-consume: installing the webhooks tool from $FEED"
TOOLS="$WORK/tools"
(cd "$WORK" && dotnet tool install --tool-path "$TOOLS" --add-source "$FEED" --version "$VERSION" Webhooks.Cli >/dev/null)
printf '%s' '{"test": 2432232314}' >"$WORK/body.json"
printf '%s' '{"test": 2432232315}' >"$WORK/tampered.json"
SPEC=(--secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --id msg_p5jXN8AQM9LWM0D4loKWxJek --timestamp 1614265330)
signature="$("$TOOLS/webhooks" sign "${SPEC[@]}" --body-file "$WORK/body.json" | tail -n 1)"
[ "$signature" = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" ] || { echo "pack-consume: webhooks sign printed '$signature'"; exit 1; }
"$TOOLS/webhooks" verify "${SPEC[@]}" --signature "$signature" --now 1614265330 --body-file "$WORK/body.json" | grep -qx valid \
  || { echo "pack-consume: webhooks verify rejected the reference vector"; exit 1; }
rc=0; "$TOOLS/webhooks" verify "${SPEC[@]}" --signature "$signature" --now 1614265330 --body-file "$WORK/tampered.json" >/dev/null || rc=$?
[ "$rc" -eq 1 ] || { echo "pack-consume: webhooks verify exited $rc for a tampered body (expected 1)"; exit 1; }
echo "pack-consume: webhooks tool signs and verifies the Standard Webhooks reference vector"
# --- end Webhooks.Testing ---------------------------------------------------------------------------------------

# ---- receiver inbox packages (issue 17) ------------------------------------------------------------------------
# A third fresh app: a receiver with a SQLite inbox that posts a signed webhook to itself on loopback, expects 202,
# and waits for the handler to run in the background. It references the PostgreSQL inbox too (compiled, not run) and
# must not pull in the sender.
INBOX="$WORK/inbox"
mkdir -p "$INBOX" "$WORK/inboxdata"
cp "$APP/nuget.config" "$INBOX/nuget.config"
cat >"$INBOX/InboxConsume.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Webhooks.Receiver.Sqlite" Version="$VERSION" />
    <PackageReference Include="Webhooks.Receiver.PostgreSql" Version="$VERSION" />
  </ItemGroup>
</Project>
XML
cat >"$INBOX/Program.cs" <<'CS'
using System.Text;
using System.Text.Json;
using Webhooks.Core;
using Webhooks.Receiver;

var secret = WebhookSecret.Generate();
var handled = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddWebhookReceiver(o => o.Secrets.Add(secret.RevealEncoded()))
    .AddHandler<JsonElement>("order.created", (context, _) => { handled.TrySetResult(context.MessageId); return Task.CompletedTask; })
    .UseInbox()
    .UseSqliteInbox($"Data Source={Path.Combine(args[0], "inbox.db")}");
builder.Services.AddHealthChecks().AddWebhookInbox();
var app = builder.Build();
app.MapWebhookReceiver("/webhooks");
app.MapHealthChecks("/healthz");
_ = typeof(PostgreSqlWebhookInboxBuilderExtensions);
await app.StartAsync();

var body = Encoding.UTF8.GetBytes("""{"type":"order.created","timestamp":"2026-01-01T00:00:00Z","data":{"id":42}}""");
var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
using var request = new HttpRequestMessage(HttpMethod.Post, $"{app.Urls.First()}/webhooks") { Content = new ByteArrayContent(body) };
request.Headers.Add("webhook-id", "msg_pack");
request.Headers.Add("webhook-timestamp", now.ToString(System.Globalization.CultureInfo.InvariantCulture));
request.Headers.Add("webhook-signature", StandardWebhook.Sign(secret, "msg_pack", now, body));
using var http = new HttpClient();
using var response = await http.SendAsync(request);
var id = await handled.Task.WaitAsync(TimeSpan.FromSeconds(60));
var health = await http.GetStringAsync($"{app.Urls.First()}/healthz");
await app.StopAsync();
Console.WriteLine($"inbox: answered {(int)response.StatusCode}, handled {id}, health {health}");
return (int)response.StatusCode == 202 && health == "Healthy" ? 0 : 1;
CS
echo "pack-consume: building and running a fresh inbox app against the packages"
(cd "$INBOX" && dotnet build -c Release --nologo -v quiet -clp:ErrorsOnly)
if grep -q '"Webhooks.Sender/' "$INBOX/obj/project.assets.json"; then echo "pack-consume: the inbox packages pull in Webhooks.Sender"; exit 1; fi
output="$(cd "$INBOX" && timeout 120 dotnet bin/Release/net10.0/InboxConsume.dll "$WORK/inboxdata" 2>&1)" || { echo "$output"; echo "pack-consume: the inbox app failed"; exit 1; }
grep "^inbox:" <<<"$output"
# ---- end receiver inbox packages -------------------------------------------------------------------------------

echo "pack-consume: passed in $((SECONDS - started)) s"
