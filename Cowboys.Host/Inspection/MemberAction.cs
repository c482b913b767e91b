namespace Cowboys.Host.Inspection;

/// <summary>What a request on /cluster/members/{address} comes to, decided without touching the cluster.</summary>
public abstract record MemberAction
{
    public sealed record Show : MemberAction;
    public sealed record Leave : MemberAction;
    public sealed record Down : MemberAction;
    public sealed record Refuse(int Status, string? Message) : MemberAction;

    /// <summary>
    /// As Akka Management's routes: in read-only mode anything but GET is 405 before the member is
    /// looked up; an unknown member is 404; PUT takes the form field operation=Leave|Down (any
    /// case), anything else 400; DELETE leaves.
    /// </summary>
    public static MemberAction Decide(string method, bool readOnly, string address, bool found, string? operation)
    {
        if (readOnly && method != HttpMethods.Get) return new Refuse(StatusCodes.Status405MethodNotAllowed, null);
        if (!found) return new Refuse(StatusCodes.Status404NotFound, $"Member [{address}] not found");
        if (method == HttpMethods.Get) return new Show();
        if (method == HttpMethods.Delete) return new Leave();
        if (method != HttpMethods.Put) return new Refuse(StatusCodes.Status405MethodNotAllowed, null);
        if (operation is null) return new Refuse(StatusCodes.Status400BadRequest, "Request is missing required form field 'operation'");
        if (operation.Equals("leave", StringComparison.OrdinalIgnoreCase)) return new Leave();
        if (operation.Equals("down", StringComparison.OrdinalIgnoreCase)) return new Down();
        return new Refuse(StatusCodes.Status400BadRequest, "Operation not supported");
    }
}
