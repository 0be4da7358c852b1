// SPDX-License-Identifier: Apache-2.0
// Formal properties of m890_icn_endpoint, included at the end of the module body under
// `ifdef FORMAL (Yosys `read -formal` defines it). docs/formal.md says what each one proves.
// The link input (link_rx_data/valid) is left unconstrained: any flit, garbage included.
// Only the user side is assumed to follow AXI4-Stream (a master holds tvalid and tdata).

  reg f_past_valid = 1'b0;
  always @(posedge clk) f_past_valid <= 1'b1;
  // the first cycle is a reset cycle; after that rst_n may rise and fall at any time
  always @(*) if (!f_past_valid) assume (!rst_n);

  // ---------------------------------------------------------------- environment: user TX side
  genvar f_v;
  generate
    for (f_v = 0; f_v < NUM_VC; f_v = f_v + 1) begin : g_f_vc
      always @(posedge clk) if (f_past_valid && $past(rst_n) && rst_n) begin
        if ($past(s_axis_tvalid[f_v] && !s_axis_tready[f_v])) begin
          assume (s_axis_tvalid[f_v]);
          assume (s_axis_tdata[f_v*DATA_W +: DATA_W] == $past(s_axis_tdata[f_v*DATA_W +: DATA_W]));
          assume (s_axis_tlast[f_v] == $past(s_axis_tlast[f_v]));
        end
      end

      // ------------------------------------------------------------ user RX side, as a master
      always @(posedge clk) if (f_past_valid) begin
        // out of reset nothing is offered
        if (!$past(rst_n)) assert (!m_axis_tvalid[f_v]);
        // once offered, held with the same beat until taken
        if ($past(rst_n) && rst_n && $past(m_axis_tvalid[f_v] && !m_axis_tready[f_v])) begin
          assert (m_axis_tvalid[f_v]);
          assert (m_axis_tdata[f_v*DATA_W +: DATA_W] == $past(m_axis_tdata[f_v*DATA_W +: DATA_W]));
          assert (m_axis_tlast[f_v] == $past(m_axis_tlast[f_v]));
          assert (m_axis_tuser[f_v] == $past(m_axis_tuser[f_v]));
        end
      end

      // ------------------------------------------------------------ invariants per VC
      always @(*) if (f_past_valid) begin
        // credits: beats in flight to the peer (sent, not yet freed) never negative (the
        // modulo difference would wrap above RX_DEPTH) and never above the peer's buffer
        assert ((sent_cnt[f_v] - peer_freed[f_v]) <= RX_DEPTH[CW-1:0]);
        // our receive buffer never holds more than RX_DEPTH beats
        assert ((rx_wp[f_v] - rx_rp[f_v]) <= RX_DEPTH[RX_AW:0]);
        // freed counter and read pointer advance together, and so do the receive counter
        // (which a clean peer takes as its sent count) and the write pointer
        assert (freed_cnt[f_v][RX_AW:0] == rx_rp[f_v]);
        assert (recv_cnt[f_v][RX_AW:0] == rx_wp[f_v]);
        // a packet to end (peer reset) only while the link state is clean
        if (ab_pend[f_v]) assert (clean && !link_up_q);
      end
      // nothing accepted from the user in reset, nor on the cycle after it
      always @(posedge clk) if (f_past_valid && !$past(rst_n)) assert (!s_axis_tready[f_v]);
    end
  endgenerate

  // ---------------------------------------------------------------- link TX as a master
  always @(posedge clk) if (f_past_valid) begin
    if (!$past(rst_n)) assert (!link_tx_valid);
    if ($past(rst_n) && rst_n && $past(link_tx_valid && !link_tx_ready)) begin
      assert (link_tx_valid);
      assert (link_tx_data == $past(link_tx_data));
    end
  end

  // ---------------------------------------------------------------- replay window
  always @(*) if (f_past_valid) begin
    assert (outstanding <= REPLAY_DEPTH[SEQ_W-1:0]);
    // the transmit pointer lies in [tx_base, tx_next]
    assert ((rp_ptr - tx_base) <= outstanding);
  end

  // ---------------------------------------------------------------- in-order delivery
  // A beat enters a receive buffer only with the next expected sequence number, and the
  // expected number then moves on by exactly one: the sequence numbers delivered are
  // consecutive, with no gap and no duplicate, between resets. f_delivered counts
  // accepted flits since reset; rx_expect must equal it (mod 2^SEQ_W) at all times.
  // (A peer reset restarts the numbering: f_delivered restarts with it.)
  reg [SEQ_W-1:0] f_delivered;
  always @(posedge clk) begin
    if (!rst_n || detect) f_delivered <= {SEQ_W{1'b0}};
    else if (accept) f_delivered <= f_delivered + 1'b1;
  end
  always @(*) if (f_past_valid) begin
    assert (rx_expect == f_delivered);
    if (accept) assert (f_seq == f_delivered);
  end

  // ---------------------------------------------------------------- status counters vs the wire
  // Counted at the link port: flits and NAK flits that left (handshake), plus the one held in
  // the transmit register. stat_tx_flits and stat_nak_tx must match (modulo 2^8 here).
  wire [1:0] f_tx_type = link_tx_data[O_TYPE +: 2];
  reg  [7:0] f_wire_flits, f_wire_naks;
  always @(posedge clk) begin
    if (!rst_n) begin
      f_wire_flits <= 8'd0;
      f_wire_naks  <= 8'd0;
    end else if (link_tx_valid && link_tx_ready) begin
      f_wire_flits <= f_wire_flits + 8'd1;
      if (f_tx_type == T_NAK) f_wire_naks <= f_wire_naks + 8'd1;
    end
  end
  always @(*) if (f_past_valid) begin
    assert (stat_tx_flits[7:0] == f_wire_flits + {7'd0, link_tx_valid});
    assert (stat_nak_tx[7:0] == f_wire_naks + {7'd0, link_tx_valid && f_tx_type == T_NAK});
  end

  // ---------------------------------------------------------------- link up only by handshake
  // link_up rises only once a good INIT flit from the peer has been received since the link
  // last went down (or since reset): never on any other good flit alone. Clean pairing (after a
  // reset): only with the peer's credit state adopted from its clean INITs for every VC.
  reg f_peer_init;
  always @(posedge clk) begin
    if (!rst_n) f_peer_init <= 1'b0;
    else if ((link_up && go_init) || detect) f_peer_init <= rx_good && f_type == T_INIT;
    else if (rx_good && f_type == T_INIT) f_peer_init <= 1'b1;
  end
  // (invariants for the induction: in INIT, peer_seen or an adopted VC means a good peer INIT
  // since going down)
  always @(*) if (f_past_valid && !link_up_q && !clean && peer_seen) assert (f_peer_init);
  always @(*) if (f_past_valid && clean && adopted != {NUM_VC{1'b0}}) assert (f_peer_init);
  always @(*) if (f_past_valid && clean) assert (!link_up_q);
  always @(posedge clk) if (f_past_valid && $past(rst_n) && rst_n && !$past(link_up) && link_up)
    assert ($past(f_peer_init) || $past(rx_good && f_type == T_INIT));

  // ---------------------------------------------------------------- NAK re-arm timer
  // the timer runs only while a NAK is scheduled (idle at 0 otherwise, from reset on)
  always @(*) if (f_past_valid && rst_n) assert (nak_sched || nak_tmr == {NK_W{1'b0}});

  // ---------------------------------------------------------------- peer reset
  // while the rest of a half-sent packet is swallowed, none of that VC's beats go on the link
  always @(*) if (f_past_valid) assert ((swallow & new_hot) == {NUM_VC{1'b0}});

  // ---------------------------------------------------------------- covers (not vacuous)
  always @(posedge clk) if (f_past_valid && rst_n) begin
    cover (link_up);
    cover (m_axis_tvalid[0] && m_axis_tready[0] && m_axis_tlast[0]);  // a packet's tail delivered
    cover (send_rp && tx_load);                                      // a replay
    cover ((sent_cnt[0] - peer_freed[0]) == RX_DEPTH[CW-1:0]);        // no credit left
    cover (detect);                                                    // a peer reset detected
    cover (m_axis_tvalid[0] && m_axis_tuser[0]);                       // a packet ended as bad
  end
