using PartnerQualifications.Gateway.Client.Models;

namespace PartnerQualifications.Gateway.Client.Models;

/// <summary>
/// The three submissions the gateway accepts, with the qualification's name filled in: Kiota
/// models a <c>const</c> as a plain string and the request as a wrapper of three members.
/// </summary>
public partial class CreateQualificationRequest
{
    /// <summary>Education, for a K-12 or higher-education institution.</summary>
    public static CreateQualificationRequest Education(EducationSubmission_educationSegment segment, string? website = null) =>
        new() { EducationSubmission = new() { Qualification = "Education", EducationSegment = segment, Website = website } };

    /// <summary>Government Community Cloud, with a validation id from <c>GET /validation-codes</c>.</summary>
    public static CreateQualificationRequest GovernmentCommunityCloud(string validationCode) =>
        new() { GovernmentCommunityCloudSubmission = new() { Qualification = "GovernmentCommunityCloud", ValidationCode = validationCode } };

    /// <summary>State-owned entity.</summary>
    public static CreateQualificationRequest StateOwnedEntity() =>
        new() { StateOwnedEntitySubmission = new() { Qualification = "StateOwnedEntity" } };
}
