// A webhook receiver: one endpoint that verifies Standard Webhooks signatures and logs each verified event.
//
//   Webhooks__Receiver__Secret=whsec_... dotnet run --project samples/Webhooks.Samples.Receiver
//
// Give it the secret of the subscription that points at http://<host>:<port>/webhooks (the sender sample's
// POST /subscriptions returns it). Without one it generates a secret and logs it once, so you can pass it to the
// sender as "secret" when you create the subscription.
using Webhooks.Samples.Receiver;

var app = ReceiverApp.Build(args);
await app.RunAsync();
