// A webhook sender on the SQLite store that hosts the management API (Webhooks.Management), its OpenAPI document and
// the operator dashboard.
//
//   cd samples/Webhooks.Samples.Sender && dotnet run        (Development, http://127.0.0.1:5080; see README.md)
//
//   /api/webhooks/...      the management API: endpoints, messages, deliveries, event types (see README.md)
//   /openapi/v1.json       its OpenAPI document
//   /dashboard             the operator dashboard (Webhooks.Dashboard; local requests only)
using Webhooks.Samples.Sender;

var app = SenderApp.Build(args);
await app.RunAsync();
