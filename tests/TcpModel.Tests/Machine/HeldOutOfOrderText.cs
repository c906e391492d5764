using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Tests.Machine;

/// <summary>The reassembly queue (<see cref="Reassembly"/>): text and FIN accepted in the window beyond RCV.NXT
/// are held and handed over in SEG.SEQ order once the hole before them is filled (RFC 9293 §3.10.7.4 first
/// check, "further processing is done in SEG.SEQ order"; RFC 1122 §4.2.2.20). Each octet is held once however the
/// segments that carry it overlap (its documented work bound: holding copies only the octets a segment adds),
/// and the explorer's snapshot of it encodes the octets held, not the runs they arrived in. RCV.NXT is 100 below
/// 2^32, so the offsets wrap. Octet i (counted from RCV.NXT) has the same value in every segment that carries it.</summary>
public sealed class HeldOutOfOrderText
{
    private static readonly SeqNum RcvNxt = new(4294967196);

    private static SeqNum At(uint offset) => RcvNxt + new SeqLen(offset);

    private static byte[] Octets(uint from, uint to) =>
        Enumerable.Range((int)from, (int)(to - from)).Select(i => (byte)('a' + i % 26)).ToArray();

    /// <summary>Holds octets [from, to) (and a FIN after them), RCV.NXT still at offset 0.</summary>
    private static void Hold(Reassembly q, uint from, uint to, bool fin = false) => q.Hold(RcvNxt, At(from), Octets(from, to), fin);

    /// <summary>What the queue hands over once RCV.NXT has reached <paramref name="rcvNxt"/>.</summary>
    private static (byte[] Text, bool Fin) Take(Reassembly q, uint rcvNxt)
    {
        var sink = new ByteQueue();
        int n = q.TakeInOrder(At(rcvNxt), sink, out bool fin);
        Assert.Equal(sink.Count, n);
        return (sink.Span.ToArray(), fin);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ASegmentOverlappingTheEndOfAHeldRun_AddsOnlyItsNewOctets()
    {
        var q = new Reassembly();
        Hold(q, 10, 20);
        Hold(q, 30, 40);
        long copied = q.OctetsCopied;
        Hold(q, 15, 25);
        Assert.Equal(25, q.HeldOctets);
        Assert.Equal(5, q.OctetsCopied - copied);
        Assert.Equal(Octets(10, 25), Take(q, 10).Text);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ASegmentOverlappingTheLaterOfTwoHeldRuns_AddsOnlyItsNewOctets()
    {
        var q = new Reassembly();
        Hold(q, 10, 20);
        Hold(q, 30, 40);
        Hold(q, 35, 45);
        Assert.Equal(25, q.HeldOctets);
        Assert.Equal(Octets(30, 45), Take(q, 30).Text);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ASegmentStartingOneOctetBeforeAHeldRun_HoldsThatOctet()
    {
        var q = new Reassembly();
        Hold(q, 5, 8);
        Hold(q, 12, 20);
        Hold(q, 11, 15);
        Assert.Equal(12, q.HeldOctets);
        Assert.Equal(Octets(11, 20), Take(q, 11).Text);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ASegmentSpanningHeldRuns_AddsTheOctetsBeforeBetweenAndAfterThem()
    {
        var q = new Reassembly();
        Hold(q, 20, 25);
        Hold(q, 30, 35);
        long copied = q.OctetsCopied;
        Hold(q, 15, 40);
        Assert.Equal(25, q.HeldOctets);
        Assert.Equal(15, q.OctetsCopied - copied);
        Assert.Equal(Octets(15, 40), Take(q, 15).Text);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ASegmentEndingOneOctetBeforeAHeldRun_IsHeldBesideIt()
    {
        var q = new Reassembly();
        Hold(q, 21, 30);
        Hold(q, 10, 20);
        Assert.Equal(19, q.HeldOctets);
        Assert.Equal(Octets(10, 20), Take(q, 10).Text);
        Assert.Equal(Octets(21, 30), Take(q, 21).Text);
        Assert.True(q.IsEmpty);
        Assert.Equal(0, q.HeldOctets);
        Assert.Equal(2 * 19, q.OctetsCopied); // each octet copied in once and out once
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void AHeldFin_IsHandedOverOnlyWhenTheTextBeforeItIs()
    {
        var q = new Reassembly();
        Hold(q, 10, 20);
        Hold(q, 30, 40, fin: true);
        var first = Take(q, 10);
        Assert.Equal(Octets(10, 20), first.Text);
        Assert.False(first.Fin);
        Assert.False(q.IsEmpty);
        var rest = Take(q, 30);
        Assert.Equal(Octets(30, 40), rest.Text);
        Assert.True(rest.Fin);
        Assert.True(q.IsEmpty);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void TextAfterASegmentThatEndsWhereAHeldRunEnds_IsHeldToo()
    {
        var q = new Reassembly();
        Hold(q, 30, 35);
        Hold(q, 25, 35);
        Hold(q, 35, 38);
        Assert.Equal(13, q.HeldOctets);
        Assert.Equal(Octets(25, 38), Take(q, 25).Text);
        Assert.True(q.IsEmpty);
    }

    // ---- the explorer's snapshot (Reassembly.Save / Load, written by Endpoint.Save)

    private static byte[] Snapshot(Reassembly q, uint rcvNxt)
    {
        var w = new StateWriter(new byte[4]);
        q.Save(ref w, At(rcvNxt));
        return w.Span.ToArray();
    }

    private static Reassembly Restored(byte[] snapshot, uint rcvNxt)
    {
        var q = new Reassembly();
        var r = new StateReader(snapshot);
        q.Load(ref r, At(rcvNxt));
        Assert.True(r.AtEnd);
        return q;
    }

    [Fact]
    public void ARestoredSnapshot_HoldsTheSameOctetsAndFin()
    {
        var q = new Reassembly();
        Hold(q, 10, 20);
        Hold(q, 30, 40, fin: true);
        var copy = Restored(Snapshot(q, 0), 0);
        Assert.Equal(20, copy.HeldOctets);
        var first = Take(copy, 10);
        Assert.Equal(Octets(10, 20), first.Text);
        Assert.False(first.Fin);
        var rest = Take(copy, 30);
        Assert.Equal(Octets(30, 40), rest.Text);
        Assert.True(rest.Fin);
        Assert.True(copy.IsEmpty);
    }

    [Fact]
    public void EqualHoldings_HaveEqualSnapshots_WhateverTheSegmentsTheyArrivedIn()
    {
        var one = new Reassembly();
        Hold(one, 10, 30);
        var two = new Reassembly();
        Hold(two, 20, 30);
        Hold(two, 10, 20);
        Assert.Equal(Snapshot(one, 0), Snapshot(two, 0));
        Assert.NotEqual(Snapshot(one, 0), Snapshot(new Reassembly(), 0));
    }

    [Fact]
    public void ASnapshotRelativeToALaterRcvNxt_LeavesOutTheOctetsBeforeIt()
    {
        var q = new Reassembly();
        Hold(q, 10, 20);
        Hold(q, 30, 40);
        var copy = Restored(Snapshot(q, 15), 15);
        Assert.Equal(15, copy.HeldOctets);
        Assert.Equal(Octets(15, 20), Take(copy, 15).Text);
        Assert.Equal(Octets(30, 40), Take(copy, 30).Text);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void OfTwoHeldFins_TheEarlierIsKept_AndTakenWhenTheHoleBeforeItIsFilled()
    {
        // BSD tcp_reass and Linux tcp_ofo_queue queue each segment with its own FIN: the earlier becomes in order first
        var q = new Reassembly();
        q.Hold(RcvNxt, At(1000), [], fin: true);
        Hold(q, 2, 2, fin: true);
        Hold(q, 1, 2);
        var sink = new ByteQueue();
        q.TakeInOrder(At(1), sink, out bool fin);
        Assert.True(fin); // the FIN at offset 2, after the one octet held at offset 1
    }

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(true)]
    [InlineData(false)]
    public void TextHeldBeyondAHeldFin_IsDroppedWithIt_OnlyUnderHeldTextBeyondFinDropped(bool drop)
    {
        // POLICY held-text-beyond-fin-dropped: Linux tcp_fin purges the out-of-order queue; BSD tcp_reass takes the
        // contiguous text and keeps the flags of the last segment, so the FIN inside it is lost
        var q = new Reassembly();
        Hold(q, 1, 2, fin: true);  // the FIN at offset 2
        Hold(q, 2, 5);            // text at offsets 2..4, beyond the FIN
        var sink = new ByteQueue();
        int n = q.TakeInOrder(At(0), sink, out bool fin, stopAtFin: drop);
        Assert.Equal(0, n); // offset 0 is still missing
        Hold(q, 0, 1);
        n = q.TakeInOrder(At(0), sink, out fin, stopAtFin: drop);
        Assert.Equal(drop ? 2 : 5, n);
        Assert.Equal(drop, fin);
        Assert.True(q.IsEmpty); // off: the FIN inside the text taken is lost with it, not kept behind
    }

    [Fact]
    public void OnlyTheFreeBsdProfile_TakesTextBeyondAHeldFin() =>
        Assert.Equal(["freebsd"], Profile.BuiltIn.Values.Where(p => !p.DropHeldTextBeyondFin).Select(p => p.Name).ToArray());

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(true)]
    [InlineData(false)]
    public void TextHeldBeyondAnArrivingFin_IsDropped_OnlyUnderHeldTextBeyondFinDropped(bool drop)
    {
        // text and a FIN held beyond RCV.NXT (an old or forged segment), then the peer's own "A" and FIN at RCV.NXT: its
        // FIN sits where the held text begins. Linux tcp_data_queue: tcp_fin purges the out-of-order queue (CLOSE-WAIT
        // with "A" unread); BSD tcp_reass delivers the contiguous text and the last segment's FIN
        var c = Fixtures.Established(Profile.Rfc9293 with { DropHeldTextBeyondFin = drop });
        var start = c.PeerNxt;
        Fixtures.AssertSent(c.Arrive($"<SEQ={start + 1}><ACK={c.OurNxt}><CTL=FIN,ACK><WND={Fixtures.PeerWnd}><DATA=\"##\">"), SynchronizedChecks.Ack(c));
        c.Arrive($"<SEQ={start}><ACK={c.OurNxt}><CTL=FIN,ACK><WND={Fixtures.PeerWnd}><DATA=\"A\">");
        Assert.Equal(TcpState.CloseWait, c.State);
        Assert.Equal(start + new SeqLen(drop ? 2u : 4u), c.Tcb.RcvNxt);
        Assert.Equal(drop ? 1 : 3, c.Tcb.ReceiveQueue.Count);
        Assert.True(c.Tcb.Reassembly.IsEmpty);
    }

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(true)]
    [InlineData(false)]
    public void AHeldFinWhosePlaceTextCovers_IsVoid_AndTheNextHeldFinStillCounts(bool drop)
    {
        // a FIN alone at offset 1 (forged or old), the peer's FIN at offset 2, then the peer's text at offsets 0..1:
        // the text covers offset 1, so that FIN is void (Linux tcp_ofo_queue drops a queued segment ending at or
        // before RCV.NXT; BSD tcp_reass one the new text covers), and the FIN at offset 2 is in order
        var c = Fixtures.Established(Profile.Rfc9293 with { DropHeldTextBeyondFin = drop });
        var start = c.PeerNxt;
        c.Arrive($"<SEQ={start + 1}><ACK={c.OurNxt}><CTL=FIN,ACK><WND={Fixtures.PeerWnd}>");
        c.Arrive($"<SEQ={start + 2}><ACK={c.OurNxt}><CTL=FIN,ACK><WND={Fixtures.PeerWnd}>");
        Assert.Equal(TcpState.Established, c.State);
        c.Arrive($"<SEQ={start}><ACK={c.OurNxt}><CTL=PSH,ACK><WND={Fixtures.PeerWnd}><DATA=\"ab\">");
        Assert.Equal(TcpState.CloseWait, c.State);
        Assert.Equal(start + new SeqLen(3), c.Tcb.RcvNxt);
        Assert.Equal(2, c.Tcb.ReceiveQueue.Count);
    }

    [Fact]
    public void ARestoredSnapshot_KeepsEveryHeldFin()
    {
        var q = new Reassembly();
        Hold(q, 3, 3, fin: true);
        Hold(q, 5, 6, fin: true);
        var w = new StateWriter(new byte[64]);
        q.Save(ref w, RcvNxt);
        var copy = new Reassembly();
        var r = new StateReader(w.Span);
        copy.Load(ref r, RcvNxt);
        Hold(copy, 0, 4); // covers offset 3: that FIN is void
        Hold(copy, 4, 6);
        var sink = new ByteQueue();
        Assert.Equal(6, copy.TakeInOrder(At(0), sink, out bool fin));
        Assert.True(fin); // the FIN at offset 6
    }

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(true)]
    [InlineData(false)]
    public void AFinArrivingWhereTextIsAlreadyHeld_IsVoid_AndTheTextIsDelivered(bool drop)
    {
        // text held at offset 1 (an old or forged segment), then a FIN alone at offset 1: its place is covered, so it is a
        // duplicate of what is held (Linux tcp_data_queue_ofo "All the bits are present. Drop."; BSD tcp_reass drops a
        // wholly overlapped segment); the hole filled, the text is delivered and the connection stays ESTABLISHED
        var c = Fixtures.Established(Profile.Rfc9293 with { DropHeldTextBeyondFin = drop });
        var start = c.PeerNxt;
        c.Arrive($"<SEQ={start + 1}><ACK={c.OurNxt}><CTL=ACK><WND={Fixtures.PeerWnd}><DATA=\"##\">");
        c.Arrive($"<SEQ={start + 1}><ACK={c.OurNxt}><CTL=FIN,ACK><WND={Fixtures.PeerWnd}>");
        c.Arrive($"<SEQ={start}><ACK={c.OurNxt}><CTL=PSH,ACK><WND={Fixtures.PeerWnd}><DATA=\"A\">");
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(start + new SeqLen(3), c.Tcb.RcvNxt);
        Assert.Equal(3, c.Tcb.ReceiveQueue.Count);
        Assert.True(c.Tcb.Reassembly.IsEmpty);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void TextArrivingOverThePlaceOfAFinThatCameAlone_VoidsThatFin()
    {
        var q = new Reassembly();
        Hold(q, 2, 2, fin: true); // a FIN alone at offset 2
        Hold(q, 1, 4);            // then text at offsets 1..3 covers it
        Hold(q, 0, 1);
        var sink = new ByteQueue();
        Assert.Equal(4, q.TakeInOrder(At(0), sink, out bool fin, stopAtFin: true));
        Assert.False(fin);
    }
}
