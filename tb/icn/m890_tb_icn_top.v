// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// Test-only ICN bench top: endpoints A and B back to back through two hostile channels
// (A->B, B->A), with per-VC message sources on both user transmit sides and per-VC checking
// sinks on both user receive sides. Everything random is seeded from the bench's ports.
// Everything the Python bench observes leaves through this module's output ports (the monitor
// reads ports, never hierarchy); the few white-box endpoint values (status counters,
// unacknowledged flits, credit counters) are picked out here, in one place.
module m890_tb_icn_top #(
  parameter DATA_W       = 256,  // beat width (multiple of 64)
  parameter NUM_VC       = 3,    // virtual channels
  parameter GROUP        = 1,    // endpoint link format: beats per flit
  parameter SEQ_W        = 8,    // endpoint sequence-number width
  parameter REPLAY_DEPTH = 32,   // endpoint replay buffer
  parameter RX_DEPTH     = 32,   // endpoint receive beats per VC
  parameter TIMEOUT      = 256,  // endpoint replay timer
  parameter MAX_RETRY    = 8,    // endpoint retries before re-init
  parameter NAK_REARM    = 32,   // endpoint NAK re-arm delay
  parameter LAT          = 4,    // channel latency in cycles
  parameter MAX_PKT      = 8     // longest generated packet in beats
) (
  input  wire              clk,
  input  wire              rst_n,
  input  wire              rst_a,     // extra reset of endpoint A alone (with its user logic), active high
  input  wire              rst_b,     // the same for B
  // traffic
  input  wire              traffic_en,
  input  wire [31:0]       traffic_seed,
  input  wire [31:0]       num_pkts,
  input  wire [31:0]       idle_thr,
  input  wire [31:0]       bp_thr,
  input  wire [NUM_VC-1:0] stall_a,   // hold A's receive VCs (stream B->A)
  input  wire [NUM_VC-1:0] stall_b,   // hold B's receive VCs (stream A->B)
  // channel A->B
  input  wire [31:0] ab_seed, ab_p1, ab_p2, ab_p3, ab_burst, ab_drop, ab_dup, ab_garb, ab_stall,
  input  wire [3:0]  ab_kill_mask,
  input  wire [15:0] ab_kill_cnt,
  input  wire        ab_kill_load,
  input  wire        ab_kill_corrupt,
  // channel B->A
  input  wire [31:0] ba_seed, ba_p1, ba_p2, ba_p3, ba_burst, ba_drop, ba_dup, ba_garb, ba_stall,
  input  wire [3:0]  ba_kill_mask,
  input  wire [15:0] ba_kill_cnt,
  input  wire        ba_kill_load,
  input  wire        ba_kill_corrupt,
  output wire        up_a,
  output wire        up_b,
  // ---- status (read by tb/icn/icn_env.py IcnMonitor)
  output reg  [31:0] cyc,                        // cycles since reset
  output wire [NUM_VC-1:0] src_a_done, src_b_done, // every packet of the VC accepted by A / B
  // checking sinks: at B (stream A->B) and at A (stream B->A); see m890_tb_icn_snk
  output wire [NUM_VC*32-1:0] snk_b_pkts, snk_b_beats, snk_b_errs, snk_b_err_beat,
  output wire [NUM_VC*64-1:0] snk_b_sig, snk_b_err_got, snk_b_err_exp,
  output wire [NUM_VC-1:0]    snk_b_err_glast, snk_b_err_elast,
  output wire [NUM_VC*32-1:0] snk_a_pkts, snk_a_beats, snk_a_errs, snk_a_err_beat,
  output wire [NUM_VC*64-1:0] snk_a_sig, snk_a_err_got, snk_a_err_exp,
  output wire [NUM_VC-1:0]    snk_a_err_glast, snk_a_err_elast,
  // more sink status: aborts (tuser), skipped, abandoned packets, next packet index, skips at
  // or above the sender's safe_from (errors)
  output wire [NUM_VC*32-1:0] snk_b_aborts, snk_b_skips, snk_b_abandons, snk_b_next, snk_b_skip_errs,
  output wire [NUM_VC*32-1:0] snk_a_aborts, snk_a_skips, snk_a_abandons, snk_a_next, snk_a_skip_errs,
  output wire [NUM_VC*32-1:0] src_a_pkts, src_b_pkts,  // packets finished (accepted or abandoned) per VC
  output wire [NUM_VC*32-1:0] src_a_safe, src_b_safe,  // the sources' safe_from (m890_tb_icn_src)
  // endpoints: 15 status counters (tx_flits, tx_data, rx_flits, rx_data, crc_err, nak_tx,
  // nak_rx, replay, timeout, reinit, dup, rx_ovf, peer_rst, tx_drop, rx_abort; tx_flits in
  // the LSBs), replay window
  output wire [15*32-1:0] a_stats, b_stats,
  // the bench's own counts of what each endpoint put on the wire since its last reset: flits
  // and NAK flits taken by the channel, plus the flit waiting in its transmit register
  output reg  [31:0] a_wire_flits, a_wire_naks, b_wire_flits, b_wire_naks,
  output wire        a_held_nak, b_held_nak,
  // white-box checks (sticky): bit 0 the NAK re-arm timer is not 0 while no NAK is scheduled,
  // bit 1 link_up rose without an INIT flit arriving since it fell (or since reset)
  output reg  [1:0]  a_chk_err, b_chk_err,
  output wire [31:0] a_tx_base, a_tx_next, b_tx_base, b_tx_next,
  // per VC: 1 = credits not conserved (sent != freed seen from the peer != freed by the peer)
  output wire [NUM_VC-1:0] a_credit_err, b_credit_err,
  // user ports of the endpoints (forwarded): receive valid, A's transmit handshake
  output wire [NUM_VC-1:0] a_m_valid, b_m_valid, a_s_valid, a_s_ready,
  output reg  [31:0] a_wfull_cyc, b_wfull_cyc,   // cycles the replay window was full
  output reg  [31:0] a_nocred_cyc, b_nocred_cyc, // cycles a valid VC had no credit
  // channels: counters (m890_tb_icn_channel status) and directed kills still to do
  output wire [9*32-1:0] ab_status, ba_status,
  output wire [15:0]     ab_kills_left, ba_kills_left
);
  localparam FLIT_W = (GROUP == 1) ? DATA_W + 64 : GROUP * (DATA_W + 4) + 64;  // the endpoint's default
  localparam TL     = GROUP * DATA_W;                                     // flit type field offset
  wire rst_a_n = rst_n && !rst_a;
  wire rst_b_n = rst_n && !rst_b;
  wire [NUM_VC-1:0] a_mu, b_mu;
  wire [NUM_VC*32-1:0] a_safe, b_safe;
  assign src_a_safe = a_safe;
  assign src_b_safe = b_safe;

  wire [NUM_VC*DATA_W-1:0] a_sd, a_md, b_sd, b_md;
  wire [NUM_VC-1:0] a_sv, a_sr, a_sl, a_mv, a_mr, a_ml;
  wire [NUM_VC-1:0] b_sv, b_sr, b_sl, b_mv, b_mr, b_ml;
  wire [FLIT_W-1:0] a_txd, b_txd, ab_d, ba_d;
  wire a_txv, a_txr, b_txv, b_txr, ab_v, ba_v;

  m890_icn_endpoint #(.DATA_W(DATA_W), .NUM_VC(NUM_VC), .GROUP(GROUP), .SEQ_W(SEQ_W), .REPLAY_DEPTH(REPLAY_DEPTH),
    .RX_DEPTH(RX_DEPTH), .TIMEOUT(TIMEOUT), .MAX_RETRY(MAX_RETRY), .NAK_REARM(NAK_REARM)) u_a (
    .clk(clk), .rst_n(rst_a_n),
    .s_axis_tdata(a_sd), .s_axis_tvalid(a_sv), .s_axis_tready(a_sr), .s_axis_tlast(a_sl),
    .m_axis_tdata(a_md), .m_axis_tvalid(a_mv), .m_axis_tready(a_mr), .m_axis_tlast(a_ml), .m_axis_tuser(a_mu),
    .link_tx_data(a_txd), .link_tx_valid(a_txv), .link_tx_ready(a_txr),
    .link_rx_data(ba_d), .link_rx_valid(ba_v), .link_up(up_a));

  m890_icn_endpoint #(.DATA_W(DATA_W), .NUM_VC(NUM_VC), .GROUP(GROUP), .SEQ_W(SEQ_W), .REPLAY_DEPTH(REPLAY_DEPTH),
    .RX_DEPTH(RX_DEPTH), .TIMEOUT(TIMEOUT), .MAX_RETRY(MAX_RETRY), .NAK_REARM(NAK_REARM)) u_b (
    .clk(clk), .rst_n(rst_b_n),
    .s_axis_tdata(b_sd), .s_axis_tvalid(b_sv), .s_axis_tready(b_sr), .s_axis_tlast(b_sl),
    .m_axis_tdata(b_md), .m_axis_tvalid(b_mv), .m_axis_tready(b_mr), .m_axis_tlast(b_ml), .m_axis_tuser(b_mu),
    .link_tx_data(b_txd), .link_tx_valid(b_txv), .link_tx_ready(b_txr),
    .link_rx_data(ab_d), .link_rx_valid(ab_v), .link_up(up_b));

  m890_tb_icn_channel #(.FLIT_W(FLIT_W), .TYPE_LSB(TL), .LAT(LAT)) ch_ab (
    .clk(clk), .rst_n(rst_n), .in_data(a_txd), .in_valid(a_txv), .in_ready(a_txr),
    .out_data(ab_d), .out_valid(ab_v), .seed(ab_seed), .p1(ab_p1), .p2(ab_p2), .p3(ab_p3),
    .p_burst(ab_burst), .p_drop(ab_drop), .p_dup(ab_dup), .p_garb(ab_garb), .p_stall(ab_stall),
    .kill_mask(ab_kill_mask), .kill_cnt(ab_kill_cnt), .kill_load(ab_kill_load), .kill_corrupt(ab_kill_corrupt),
    .status(ab_status), .kills_left(ab_kills_left));

  m890_tb_icn_channel #(.FLIT_W(FLIT_W), .TYPE_LSB(TL), .LAT(LAT)) ch_ba (
    .clk(clk), .rst_n(rst_n), .in_data(b_txd), .in_valid(b_txv), .in_ready(b_txr),
    .out_data(ba_d), .out_valid(ba_v), .seed(ba_seed), .p1(ba_p1), .p2(ba_p2), .p3(ba_p3),
    .p_burst(ba_burst), .p_drop(ba_drop), .p_dup(ba_dup), .p_garb(ba_garb), .p_stall(ba_stall),
    .kill_mask(ba_kill_mask), .kill_cnt(ba_kill_cnt), .kill_load(ba_kill_load), .kill_corrupt(ba_kill_corrupt),
    .status(ba_status), .kills_left(ba_kills_left));

  m890_tb_icn_src #(.DATA_W(DATA_W), .NUM_VC(NUM_VC), .MAX_PKT(MAX_PKT), .STREAM_ID(0)) src_a (
    .clk(clk), .rst_n(rst_n), .en(traffic_en), .seed(traffic_seed), .num_pkts(num_pkts), .idle_thr(idle_thr),
    .ep_rst(!rst_a_n), .any_rst(!rst_a_n || !rst_b_n), .up(up_a), .safe_from(a_safe), .pkts(src_a_pkts),
    .tdata(a_sd), .tvalid(a_sv), .tready(a_sr), .tlast(a_sl), .done(src_a_done));
  m890_tb_icn_src #(.DATA_W(DATA_W), .NUM_VC(NUM_VC), .MAX_PKT(MAX_PKT), .STREAM_ID(1)) src_b (
    .clk(clk), .rst_n(rst_n), .en(traffic_en), .seed(traffic_seed), .num_pkts(num_pkts), .idle_thr(idle_thr),
    .ep_rst(!rst_b_n), .any_rst(!rst_a_n || !rst_b_n), .up(up_b), .safe_from(b_safe), .pkts(src_b_pkts),
    .tdata(b_sd), .tvalid(b_sv), .tready(b_sr), .tlast(b_sl), .done(src_b_done));
  m890_tb_icn_snk #(.DATA_W(DATA_W), .NUM_VC(NUM_VC), .MAX_PKT(MAX_PKT), .STREAM_ID(0)) snk_b (
    .clk(clk), .rst_n(rst_n), .seed(traffic_seed), .bp_thr(bp_thr), .stall(stall_b),
    .tdata(b_md), .tvalid(b_mv), .tready(b_mr), .tlast(b_ml), .tuser(b_mu), .ep_rst(!rst_b_n), .safe_from(a_safe),
    .st_aborts(snk_b_aborts), .st_skips(snk_b_skips), .st_abandons(snk_b_abandons), .st_next(snk_b_next),
    .st_skip_errs(snk_b_skip_errs),
    .st_pkts(snk_b_pkts), .st_beats(snk_b_beats), .st_errs(snk_b_errs), .st_sig(snk_b_sig),
    .st_err_beat(snk_b_err_beat), .st_err_got(snk_b_err_got), .st_err_exp(snk_b_err_exp),
    .st_err_glast(snk_b_err_glast), .st_err_elast(snk_b_err_elast));
  m890_tb_icn_snk #(.DATA_W(DATA_W), .NUM_VC(NUM_VC), .MAX_PKT(MAX_PKT), .STREAM_ID(1)) snk_a (
    .clk(clk), .rst_n(rst_n), .seed(traffic_seed), .bp_thr(bp_thr), .stall(stall_a),
    .tdata(a_md), .tvalid(a_mv), .tready(a_mr), .tlast(a_ml), .tuser(a_mu), .ep_rst(!rst_a_n), .safe_from(b_safe),
    .st_aborts(snk_a_aborts), .st_skips(snk_a_skips), .st_abandons(snk_a_abandons), .st_next(snk_a_next),
    .st_skip_errs(snk_a_skip_errs),
    .st_pkts(snk_a_pkts), .st_beats(snk_a_beats), .st_errs(snk_a_errs), .st_sig(snk_a_sig),
    .st_err_beat(snk_a_err_beat), .st_err_got(snk_a_err_got), .st_err_exp(snk_a_err_exp),
    .st_err_glast(snk_a_err_glast), .st_err_elast(snk_a_err_elast));

  // bench-side observation of the endpoints (hierarchical, test-only; the only place it is done)
  assign a_stats = {u_a.stat_rx_abort, u_a.stat_tx_drop, u_a.stat_peer_rst, u_a.stat_rx_ovf, u_a.stat_dup, u_a.stat_reinit, u_a.stat_timeout, u_a.stat_replay,
                    u_a.stat_nak_rx, u_a.stat_nak_tx, u_a.stat_crc_err, u_a.stat_rx_data, u_a.stat_rx_flits,
                    u_a.stat_tx_data, u_a.stat_tx_flits};
  assign b_stats = {u_b.stat_rx_abort, u_b.stat_tx_drop, u_b.stat_peer_rst, u_b.stat_rx_ovf, u_b.stat_dup, u_b.stat_reinit, u_b.stat_timeout, u_b.stat_replay,
                    u_b.stat_nak_rx, u_b.stat_nak_tx, u_b.stat_crc_err, u_b.stat_rx_data, u_b.stat_rx_flits,
                    u_b.stat_tx_data, u_b.stat_tx_flits};
  assign a_tx_base = {{(32-SEQ_W){1'b0}}, u_a.tx_base};
  assign a_tx_next = {{(32-SEQ_W){1'b0}}, u_a.tx_next};
  assign b_tx_base = {{(32-SEQ_W){1'b0}}, u_b.tx_base};
  assign b_tx_next = {{(32-SEQ_W){1'b0}}, u_b.tx_next};
  genvar gv;
  generate
    for (gv = 0; gv < NUM_VC; gv = gv + 1) begin : g_cred
      assign a_credit_err[gv] = (u_a.sent_cnt[gv] != u_a.peer_freed[gv]) || (u_a.sent_cnt[gv] != u_b.freed_cnt[gv]);
      assign b_credit_err[gv] = (u_b.sent_cnt[gv] != u_b.peer_freed[gv]) || (u_b.sent_cnt[gv] != u_a.freed_cnt[gv]);
    end
  endgenerate
  assign a_m_valid = a_mv;
  assign b_m_valid = b_mv;
  assign a_s_valid = a_sv;
  assign a_s_ready = a_sr;
  assign a_held_nak = a_txv && (a_txd[TL +: 2] == 2'd2);
  assign b_held_nak = b_txv && (b_txd[TL +: 2] == 2'd2);
  reg a_init_in, b_init_in, up_a_d, up_b_d;
  reg [1:0] a_ini_d, b_ini_d;  // an INIT-typed flit arrived since link_up fell
  always @(posedge clk) begin
    if (!rst_a_n) begin
      a_wire_flits <= 0; a_wire_naks <= 0; a_init_in <= 1'b0; up_a_d <= 1'b0; a_ini_d <= 2'b00;
    end else begin
      up_a_d <= up_a;
      if (a_txv && a_txr) begin
        a_wire_flits <= a_wire_flits + 1;
        if (a_txd[TL +: 2] == 2'd2) a_wire_naks <= a_wire_naks + 1;
      end
      a_ini_d <= {a_ini_d[0], ba_v && ba_d[TL +: 2] == 2'd3};
      if (ba_v && ba_d[TL +: 2] == 2'd3) a_init_in <= 1'b1;
      else if (up_a_d && !up_a) a_init_in <= |a_ini_d;  // (an INIT the endpoint is still processing counts)
    end
    if (!rst_b_n) begin
      b_wire_flits <= 0; b_wire_naks <= 0; b_init_in <= 1'b0; up_b_d <= 1'b0; b_ini_d <= 2'b00;
    end else begin
      up_b_d <= up_b;
      if (b_txv && b_txr) begin
        b_wire_flits <= b_wire_flits + 1;
        if (b_txd[TL +: 2] == 2'd2) b_wire_naks <= b_wire_naks + 1;
      end
      b_ini_d <= {b_ini_d[0], ab_v && ab_d[TL +: 2] == 2'd3};
      if (ab_v && ab_d[TL +: 2] == 2'd3) b_init_in <= 1'b1;
      else if (up_b_d && !up_b) b_init_in <= |b_ini_d;  // (an INIT the endpoint is still processing counts)
    end
    if (!rst_n) begin
      a_chk_err <= 2'b00;
      b_chk_err <= 2'b00;
    end else begin
      if (rst_a_n && !u_a.nak_sched && u_a.nak_tmr != 0) a_chk_err[0] <= 1'b1;
      if (rst_b_n && !u_b.nak_sched && u_b.nak_tmr != 0) b_chk_err[0] <= 1'b1;
      if (rst_a_n && up_a && !up_a_d && !a_init_in) a_chk_err[1] <= 1'b1;
      if (rst_b_n && up_b && !up_b_d && !b_init_in) b_chk_err[1] <= 1'b1;
    end
  end
  always @(posedge clk) begin
    if (!rst_n) begin
      cyc <= 0; a_wfull_cyc <= 0; b_wfull_cyc <= 0; a_nocred_cyc <= 0; b_nocred_cyc <= 0;
    end else begin
      cyc <= cyc + 1;
      if (u_a.window_full) a_wfull_cyc <= a_wfull_cyc + 1;
      if (u_b.window_full) b_wfull_cyc <= b_wfull_cyc + 1;
      if ((u_a.credit_ok & a_sv) != a_sv) a_nocred_cyc <= a_nocred_cyc + 1;
      if ((u_b.credit_ok & b_sv) != b_sv) b_nocred_cyc <= b_nocred_cyc + 1;
    end
  end
endmodule
`default_nettype wire
