using TcpModel.Fuzz;
using TcpModel.Wire;

namespace TcpModel.Tests.Fuzz;

/// <summary>Inputs AFL++ found (fuzz/run.sh), kept as regression tests once fixed.</summary>
public sealed class FuzzFindings
{
    /// <summary>notation, AFL++ run 1 (30 s, 105,061 executions, 6 crashes): a control character or line
    /// break in an offending token was echoed raw, so the error "line" spanned several lines.</summary>
    [Theory]
    [InlineData("3c500a0100fa3c540a01003c53a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a145513d6e3e225c3c")]
    [InlineData("3c800a4b433d373e3c4354007fff7ffffd40434b2c3e52473e3c574ebb1f303e3c550004")]
    [InlineData("3c5345513d313e3c44410a413d223c574e443d223e")]
    [InlineData("3c5345513d2c0a2c313e4a4441544a4551492c2c2c313e4a")]
    [InlineData("3c5345513d3432393239353e3c41434b3d303e3c43544c3d41434b2c46494e2c7353540a5053482c5552473e3c574e443d3635353335393239353e3c40434b3d303e3c43544c3d413e3c4f50543d4d53533a313436302c57533a31342c533e3c4441")]
    [InlineData("3c5345513d3432393239353e3c41434b3d30593c43540a3d41434b2c46494f2c5253542c5053482c5552473e3c574e44ea36353533353e3c000200004d4c533a313436232c57533a31242c533e3c4441")]
    public void Notation_ARejectedSegmentGetsAOneLineError(string hex)
    {
        var input = Convert.FromHexString(hex);
        FuzzTargets.Notation(input);
        Assert.False(Segment.TryParse(System.Text.Encoding.UTF8.GetString(input), out _, out var error));
        Assert.DoesNotContain('\n', error!);
        Assert.DoesNotContain(error!, c => char.IsControl(c));
    }
}
