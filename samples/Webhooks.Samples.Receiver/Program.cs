// A webhook receiver: one endpoint that verifies Standard Webhooks signatures and logs each verified event.
//
//   cd samples/Webhooks.Samples.Receiver && dotnet run      (Development, http://127.0.0.1:5081; see README.md)
//
// Give it the secret of the subscription that points at http://<host>:<port>/webhooks (the sender sample's
// POST /subscriptions returns it). Without one it generates a secret and logs it once, so you can pass it to the
// sender as "secret" when you create the subscription.
using Webhooks.Samples.Receiver;

var app = ReceiverApp.Build(args);
await app.RunAsync();
