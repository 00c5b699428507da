namespace Webhooks.Sender.CrashHost.Harness;

/// <summary>What the crash host and the tests that drive it agree on (compiled into both).</summary>
public static class CrashHostProtocol
{
    /// <summary>The environment variable holding the endpoint's <c>whsec_</c> secret (never on the command line).</summary>
    public const string SecretVariable = "WEBHOOKS_CRASHHOST_SECRET";

    /// <summary>Written as <c>published &lt;n&gt;</c> once every message is stored.</summary>
    public const string Published = "published";

    /// <summary>Written once the dispatcher runs.</summary>
    public const string Started = "started";

    /// <summary>Written when no delivery is left unfinished, just before the host exits with 0.</summary>
    public const string Done = "done";
}
