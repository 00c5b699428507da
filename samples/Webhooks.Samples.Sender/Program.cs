// A webhook sender with a small management API, on the SQLite store.
//
//   cd samples/Webhooks.Samples.Sender && dotnet run        (Development, http://127.0.0.1:5080; see README.md)
//
//   POST /subscriptions                     {"url":"https://...","eventTypes":["order.*"],"secret":"whsec_..."?}
//   GET  /subscriptions
//   POST /subscriptions/{id}/disable
//   POST /events                            {"type":"order.created","data":{...}}
//   GET  /deliveries?subscriptionId=&messageId=&status=
//   GET  /deliveries/{id}/attempts
//   POST /messages/{messageId}/redeliver/{subscriptionId}
//   GET  /dashboard                         the operator dashboard (Webhooks.Dashboard; local requests only)
using Webhooks.Samples.Sender;

var app = SenderApp.Build(args);
await app.RunAsync();
