// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// m890_icn_endpoint: reliable, credit-flow-controlled chip-to-chip link endpoint.
//
// Data-link layer modelled on PCIe/UCIe/UALink (the full protocol is in docs/icn.md):
//  - every flit = {CRC-32C, pad, header, payload}; the header carries type, VC, last, sequence
//    number, a piggybacked cumulative ACK (the receiver's next expected sequence number) and
//    one VC's absolute, modulo "beats freed" credit counter (the VC rotates flit by flit);
//  - go-back-N retry: a replay buffer of REPLAY_DEPTH flits, NAK on a CRC error or a sequence
//    gap, a replay timer for lost ACKs/NAKs, and a retry counter that escalates to a link
//    re-initialization which keeps the replay buffer and all sequence/credit state;
//  - per-VC credits (one per receive-buffer beat), absolute counters so lost, corrupted or
//    replayed credit updates can never inflate or leak credit;
//  - an INIT handshake (INIT flits with a "seen you" flag) raises link_up;
//  - IDLE flits fill every free slot and carry ACK/credits, so a quiet link makes progress;
//  - link format (GROUP): one beat per flit, or up to GROUP beats per flit under one header and
//    CRC (the wire-efficiency format: 92.75 % payload at GROUP=4, DATA_W=256); sequence numbers,
//    replay, ACK and credits count beats in both.
// Status counters (stat_*) are plain registers for test benches and debug access.
module m890_icn_endpoint #(
  parameter DATA_W       = 256,          // user beat width and flit payload width
  parameter NUM_VC       = 3,            // number of virtual channels (1..16)
  parameter GROUP        = 1,            // link format: user beats per flit (1 = one beat per flit;
                                         // G > 1 = one header and CRC-32C per group of G beats, one
                                         // flit every G cycles at most; see docs/icn.md)
  parameter FLIT_W       = (GROUP == 1) ? DATA_W + 64           // link flit width: payload + header +
                                        : GROUP * (DATA_W + 4) + 64, // group fields + pad + CRC-32C
  parameter SEQ_W        = 8,            // sequence-number width (>= 2)
  parameter REPLAY_DEPTH = 32,           // replay buffer beats: power of 2, <= 2**(SEQ_W-1)
  parameter RX_DEPTH     = 32,           // receive buffer beats per VC (= credits per VC), power of 2 >= 1
  parameter TIMEOUT      = 256,          // replay timer in cycles (> the ACK round trip)
  parameter MAX_RETRY    = 8,            // replays without ACK progress before a link re-init
  parameter NAK_REARM    = 32,           // cycles after a NAK before the receiver may NAK again (> round trip)
  parameter GUARD        = 16            // received flits: after our reset they are ignored, being stale flits
                                         // of the old link; after a fresh pairing the peer's fresh INITs are,
                                         // being late duplicates. > flits in flight + duplicate reach
) (
  input  wire                     clk,
  input  wire                     rst_n,
  // user transmit side: one AXI4-Stream per VC, flattened (VC v in slice v)
  input  wire [NUM_VC*DATA_W-1:0] s_axis_tdata,
  input  wire [NUM_VC-1:0]        s_axis_tvalid,
  output wire [NUM_VC-1:0]        s_axis_tready,
  input  wire [NUM_VC-1:0]        s_axis_tlast,
  // user receive side
  output wire [NUM_VC*DATA_W-1:0] m_axis_tdata,
  output wire [NUM_VC-1:0]        m_axis_tvalid,
  input  wire [NUM_VC-1:0]        m_axis_tready,
  output wire [NUM_VC-1:0]        m_axis_tlast,
  output wire [NUM_VC-1:0]        m_axis_tuser,   // with tlast: 1 = bad packet (tail lost in a peer reset)
  // link side: at most one flit per cycle each way; the receiver has no ready
  output wire [FLIT_W-1:0]        link_tx_data,
  output wire                     link_tx_valid,
  input  wire                     link_tx_ready,
  input  wire [FLIT_W-1:0]        link_rx_data,
  input  wire                     link_rx_valid,
  output wire                     link_up
);
  function integer clog2;
    input integer v;
    integer r;
    begin
      r = 0;
      while ((1 << r) < v) r = r + 1;
      clog2 = r;
    end
  endfunction

  localparam VC_W   = (NUM_VC > 1) ? clog2(NUM_VC) : 1;
  localparam RP_W   = clog2(REPLAY_DEPTH);
  localparam RX_AW  = clog2(RX_DEPTH);
  localparam CW     = RX_AW + 2;                // credit counter width (modulo)
  localparam TM_W   = clog2(TIMEOUT + 1);
  localparam RT_W   = clog2(MAX_RETRY + 1);
  localparam NK_W   = clog2(NAK_REARM + 1);
  localparam HDR_W  = 2 + VC_W + 1 + SEQ_W + SEQ_W + VC_W + CW + 1;
  localparam GD_W   = clog2(GUARD + 1);
  localparam BODY_W = FLIT_W - 32;              // bits covered by the CRC
  localparam PL_W   = GROUP * DATA_W;           // flit payload: GROUP beats
  localparam GC_W   = clog2(GROUP + 1);         // group: beat-count field
  localparam PB_W   = VC_W + 1;                 // group: {last, vc} of beats 1..GROUP-1
  localparam GX_W   = (GROUP > 1) ? GC_W + (GROUP - 1) * PB_W : 0;
  localparam PAD_W  = BODY_W - PL_W - HDR_W - GX_W;
  localparam GP_W   = (GROUP > 1) ? clog2(GROUP) : 1;  // flit pacing counter
  // header field offsets inside the flit
  localparam O_TYPE = PL_W;
  localparam O_VC   = O_TYPE + 2;
  localparam O_LAST = O_VC + VC_W;
  localparam O_SEQ  = O_LAST + 1;
  localparam O_ACK  = O_SEQ + SEQ_W;
  localparam O_CVC  = O_ACK + SEQ_W;
  localparam O_CCNT = O_CVC + VC_W;
  localparam O_EP   = O_CCNT + CW;              // link epoch bit (flipped by a survivor of a peer reset)
  localparam O_GC   = O_EP + 1;                 // GROUP > 1: beat count, then {last, vc} of beats 1..
  localparam RB_W   = DATA_W + VC_W + 1;        // replay entry: {last, vc, data}
  // INIT payload: bit 0 R ("my link state is clean: pair from zero"), bit 1 F ("I am fresh out of
  // reset"), bit 2 A ("I have taken your credit state for every VC"), bits [3 +: CW] the receive
  // count of VC cvc (beats ever written into its buffer, modulo 2^CW; the header's ccnt is its
  // freed count): a clean peer starts its credit counters from these.
  localparam I_R = 0, I_F = 1, I_A = 2, I_RECV = 3;

  localparam [1:0] T_IDLE = 2'd0, T_DATA = 2'd1, T_NAK = 2'd2, T_INIT = 2'd3;
  localparam [SEQ_W-1:0] HALF = {1'b1, {(SEQ_W-1){1'b0}}};

  // ---------------------------------------------------------------- parameter sanity checks
  generate
    if (NUM_VC < 1 || NUM_VC > 16) begin : g_bad_vc
      m890_param_error_icn_num_vc_out_of_range u_err ();
    end
    if (SEQ_W < 2 || SEQ_W > 16) begin : g_bad_seq
      m890_param_error_icn_seq_w_out_of_range u_err ();
    end
    if (REPLAY_DEPTH < 2 || (1 << RP_W) != REPLAY_DEPTH || REPLAY_DEPTH > (1 << (SEQ_W - 1))) begin : g_bad_rp
      m890_param_error_icn_replay_depth_pow2_le_half_seq_space u_err ();
    end
    if (RX_DEPTH < 1 || (1 << RX_AW) != RX_DEPTH) begin : g_bad_rx
      m890_param_error_icn_rx_depth_pow2 u_err ();
    end
    if (PAD_W < 0) begin : g_bad_flit
      m890_param_error_icn_flit_w_too_small_for_header u_err ();
    end
    if (DATA_W < I_RECV + CW) begin : g_bad_init
      m890_param_error_icn_data_w_too_small_for_init_payload u_err ();
    end
    if (GUARD < 1) begin : g_bad_guard
      m890_param_error_icn_guard_must_be_positive u_err ();
    end
    if (GROUP < 1 || GROUP > 16 || GROUP > REPLAY_DEPTH) begin : g_bad_group
      m890_param_error_icn_group_1_to_16_le_replay_depth u_err ();
    end
    if (TIMEOUT < 8 || MAX_RETRY < 1 || NAK_REARM < 2) begin : g_bad_tm
      m890_param_error_icn_timeout_or_retry u_err ();
    end
  endgenerate

  // ================================================================= link state
  reg link_up_q;      // 1: UP, 0: INIT (handshaking)
  reg peer_seen;      // INIT (retrain): a valid INIT flit from the peer has been received
  reg clean;          // our link state is reset (after our reset, or after we saw the peer reset):
                      // we send clean INITs and pair from zero (sequence numbers, credits adopted)
  reg fresh;          // from our reset until the link first comes up
  reg ep;             // link epoch, in every flit: flits of another epoch are stale and ignored
  reg [GD_W-1:0] gcnt; // flits received since our reset / since the last fresh pairing (saturates)
  wire gsat = (gcnt == GUARD[GD_W-1:0]);
  wire hold = fresh && !gsat;  // right after our reset: ignore everything (stale flits in flight)
  assign link_up = link_up_q;

  // ================================================================= receive front end
  reg              rxq_v;
  reg [FLIT_W-1:0] rxq;
  always @(posedge clk) begin
    if (!rst_n) begin
      rxq_v <= 1'b0;
      rxq   <= {FLIT_W{1'b0}};
    end else begin
      rxq_v <= link_rx_valid;
      if (link_rx_valid) rxq <= link_rx_data;
    end
  end

  wire [31:0] rx_crc;
  m890_crc32c #(.W(BODY_W)) u_rx_crc (.data(rxq[BODY_W-1:0]), .crc(rx_crc));

  wire              rx_good = rxq_v && (rx_crc == rxq[FLIT_W-1 -: 32]);
  wire              rx_bad  = rxq_v && !(rx_crc == rxq[FLIT_W-1 -: 32]);
  wire [1:0]        f_type  = rxq[O_TYPE +: 2];
  wire [VC_W-1:0]   f_vc    = rxq[O_VC +: VC_W];
  wire              f_last  = rxq[O_LAST];
  wire [SEQ_W-1:0]  f_seq   = rxq[O_SEQ +: SEQ_W];
  wire [SEQ_W-1:0]  f_ack   = rxq[O_ACK +: SEQ_W];
  wire [VC_W-1:0]   f_cvc   = rxq[O_CVC +: VC_W];
  wire [CW-1:0]     f_ccnt  = rxq[O_CCNT +: CW];
  wire [DATA_W-1:0] f_data  = rxq[DATA_W-1:0];
  wire              f_ep    = rxq[O_EP];
  wire              f_init  = (f_type == T_INIT);
  wire              f_ir    = f_data[I_R];
  wire              f_if    = f_data[I_F];
  wire              f_ia    = f_data[I_A];
  wire [CW-1:0]     f_recv  = f_data[I_RECV +: CW];
  // a good flit of our epoch, not in the hold-off after our reset
  wire              rx_ep   = rx_good && !hold && (f_ep == ep);
  // a flit processed normally (ACK, credits, DATA, NAK): our epoch, link state not clean, and
  // not a clean INIT (those only carry the pairing)
  wire              rx_use  = rx_ep && !clean && !(f_init && f_ir);

  // ================================================================= transmit state
  reg [SEQ_W-1:0] tx_next;   // sequence number of the next new flit
  reg [SEQ_W-1:0] tx_base;   // oldest unacknowledged sequence number
  reg [SEQ_W-1:0] rp_ptr;    // next sequence number to put on the wire (== tx_next unless replaying)
  reg [SEQ_W-1:0] rp_hi;     // GROUP > 1: one past the highest sequence number ever sent
  reg [RB_W-1:0]  rb_mem [0:REPLAY_DEPTH-1];
  reg [TM_W-1:0]  timer;
  reg [RT_W-1:0]  retry;
  reg             nak_pending; // a NAK flit must be sent
  reg             nak_sched;   // receiver: a NAK was sent for the current gap (PCIe NAK_SCHEDULED)
  reg [NK_W-1:0]  nak_tmr;     // receiver: cycles since nak_sched was set (re-arm after NAK_REARM)
  reg [SEQ_W-1:0] rx_expect;   // receiver: next expected sequence number (the ACK we send)
  reg [VC_W-1:0]  cred_rr;     // VC whose freed counter rides in the next flit
  reg [VC_W-1:0]  arb_rr;      // last VC granted a new flit

  reg [CW-1:0]    sent_cnt   [0:NUM_VC-1]; // beats sent (new flits) per VC, modulo
  reg [CW-1:0]    peer_freed [0:NUM_VC-1]; // peer's freed counter per VC, modulo
  reg [CW-1:0]    freed_cnt  [0:NUM_VC-1]; // our receive beats freed per VC, modulo
  reg [CW-1:0]    recv_cnt   [0:NUM_VC-1]; // our receive beats written per VC, modulo
  reg [NUM_VC-1:0] adopted;   // clean: VC's credit state taken from the peer's clean INIT
  reg [NUM_VC-1:0] tx_open;   // the user is in the middle of a packet on this VC (last beat taken was not tlast)
  reg [NUM_VC-1:0] swallow;   // peer reset: take and drop the user's beats up to the end of its packet
  reg [NUM_VC-1:0] rx_open;   // the last beat written into this VC's receive buffer was not tlast
  reg [NUM_VC-1:0] ab_pend;   // peer reset: this VC's open packet still has to be ended (tlast+tuser)
  reg [REPLAY_DEPTH-1:0] rb_lastv; // tlast of each replay slot (to count the packets a peer reset drops)

  reg              txr_v;
  reg [FLIT_W-1:0] txr;
  assign link_tx_valid = txr_v;
  assign link_tx_data  = txr;

  wire [SEQ_W-1:0] outstanding = tx_next - tx_base;
  wire             window_full = (outstanding >= REPLAY_DEPTH[SEQ_W-1:0]);
  wire             replaying   = (rp_ptr != tx_next);
  // the flit sent from the replay buffer is a retransmission (GROUP > 1: its first beat was sent before)
  wire             rp_old      = (GROUP == 1) || ((rp_ptr - tx_base) < (rp_hi - tx_base));
  // GROUP > 1: a flit at most every GROUP cycles (a wide flit takes GROUP beat times on the wire)
  wire             pace_ok;
  wire             tx_load     = (GROUP == 1) ? (!txr_v || link_tx_ready) : (!txr_v && pace_ok);

  // per-VC credit check and round-robin arbitration of new flits
  reg [NUM_VC-1:0] credit_ok;
  integer vc, vr, vt;  // one loop variable per always block
  always @(*) begin
    for (vc = 0; vc < NUM_VC; vc = vc + 1)
      credit_ok[vc] = ((sent_cnt[vc] - peer_freed[vc]) < RX_DEPTH[CW-1:0]);
  end
  wire [NUM_VC-1:0] eligible = s_axis_tvalid & credit_ok & ~swallow;

  reg [VC_W-1:0] grant_vc;
  reg            grant_any;
  integer i;
  reg [VC_W:0]   cand;
  always @(*) begin
    grant_vc  = {VC_W{1'b0}};
    grant_any = 1'b0;
    for (i = NUM_VC; i >= 1; i = i - 1) begin
      cand = {1'b0, arb_rr} + i[VC_W:0];
      if (cand >= NUM_VC[VC_W:0]) cand = cand - NUM_VC[VC_W:0];
      if (eligible[cand[VC_W-1:0]]) begin
        grant_vc  = cand[VC_W-1:0];
        grant_any = 1'b1;
      end
    end
  end

  wire send_init = !link_up_q;
  wire send_nak  = link_up_q && nak_pending;
  wire send_rp   = link_up_q && !nak_pending && replaying;
  // GROUP == 1: a new beat goes straight onto the wire as a DATA flit. GROUP > 1: a new beat is
  // taken into the replay buffer whenever there is room (one per cycle) and everything between
  // rp_ptr and tx_next goes out from there, up to GROUP beats per DATA flit (send_rp)
  wire send_new  = (GROUP == 1) && link_up_q && !nak_pending && !replaying && !window_full && grant_any;
  wire do_new    = (GROUP == 1) ? (tx_load && send_new) : (link_up_q && !window_full && grant_any);

  genvar g;
  generate
    for (g = 0; g < NUM_VC; g = g + 1) begin : g_tready
      assign s_axis_tready[g] = (do_new && (grant_vc == g)) || swallow[g];
    end
  endgenerate

  // the flit being formed this cycle
  wire [RB_W-1:0]   rb_rd    = rb_mem[rp_ptr[RP_W-1:0]];
  wire [DATA_W-1:0] new_data = s_axis_tdata[grant_vc*DATA_W +: DATA_W];
  wire              new_last = s_axis_tlast[grant_vc];

  // GROUP > 1: the beats rp_ptr .. rp_ptr+g_cnt-1 of the replay buffer (g_pl payload, g_gx the
  // group fields: beat count, {last, vc} of beats 1..); rp_step = beats the next DATA flit carries
  localparam GXD_W = (GX_W > 0) ? GX_W : 1;
  wire [PL_W-1:0]  g_pl;
  wire [GXD_W-1:0] g_gx;
  wire [SEQ_W-1:0] rp_step;
  generate
    if (GROUP == 1) begin : g_tx1
      assign g_pl    = rb_rd[DATA_W-1:0];
      assign g_gx    = 1'b0;
      assign rp_step = {{(SEQ_W-1){1'b0}}, 1'b1};
      assign pace_ok = 1'b1;
    end else begin : g_txg
      wire [SEQ_W-1:0] pend = tx_next - rp_ptr;
      wire [31:0]      pend32 = {{(32-SEQ_W){1'b0}}, pend};
      wire [GC_W-1:0]  cnt = (pend32 >= GROUP) ? GROUP[GC_W-1:0] : pend32[GC_W-1:0];
      reg  [PL_W-1:0]  pl;
      reg  [GX_W-1:0]  gx;
      reg  [RB_W-1:0]  e;
      /* verilator lint_off UNUSEDSIGNAL */
      reg  [SEQ_W-1:0] ridx;       // (only its RP_W low bits address the buffer)
      /* verilator lint_on UNUSEDSIGNAL */
      integer k;
      always @(*) begin
        pl = {PL_W{1'b0}};
        gx = {GX_W{1'b0}};
        gx[GC_W-1:0] = cnt;
        for (k = 0; k < GROUP; k = k + 1) begin
          ridx = rp_ptr + k[SEQ_W-1:0];
          e = rb_mem[ridx[RP_W-1:0]];
          if (k < cnt) begin
            pl[k*DATA_W +: DATA_W] = e[DATA_W-1:0];
            if (k > 0) gx[GC_W + (k-1)*PB_W +: PB_W] = {e[RB_W-1], e[DATA_W +: VC_W]};
          end
        end
      end
      assign g_pl    = pl;
      assign g_gx    = gx;
      assign rp_step = {{(SEQ_W > GC_W ? SEQ_W - GC_W : 0){1'b0}}, cnt};
      // pacing: gap = cycles since the last flit left (saturating at GROUP-1)
      reg [GP_W-1:0] gap;
      always @(posedge clk) begin
        if (!rst_n) gap <= GROUP[GP_W-1:0] - 1'b1;
        else if (txr_v && link_tx_ready) gap <= {{(GP_W-1){1'b0}}, 1'b1};
        else if (!pace_ok) gap <= gap + 1'b1;
      end
      assign pace_ok = (gap >= GROUP[GP_W-1:0] - 1'b1);
    end
  endgenerate

  reg [1:0]        n_type;
  reg [VC_W-1:0]   n_vc;
  reg              n_last;
  reg [PL_W-1:0]   n_data;
  /* verilator lint_off UNUSEDSIGNAL */
  reg [GXD_W-1:0]  n_gx;           // (GROUP == 1: no group fields)
  /* verilator lint_on UNUSEDSIGNAL */
  always @(*) begin
    n_type = T_IDLE;
    n_vc   = {VC_W{1'b0}};
    n_last = 1'b0;
    n_data = {PL_W{1'b0}};
    n_gx   = {GXD_W{1'b0}};
    if (send_init) begin
      n_type = T_INIT;
      n_last = peer_seen && !clean;  // retrain INIT: "I have seen your INIT"
      // clean INIT: pairing state. R only once every open receive packet has been ended (its
      // last beat is counted in recv_cnt, which the peer takes as its sent count).
      n_data[I_R] = clean && (ab_pend == {NUM_VC{1'b0}});
      n_data[I_F] = fresh;
      n_data[I_A] = (adopted == {NUM_VC{1'b1}});
      n_data[I_RECV +: CW] = recv_cnt[cred_rr];
    end else if (send_nak) begin
      n_type = T_NAK;
    end else if (send_rp) begin
      n_type = T_DATA;
      n_vc   = rb_rd[DATA_W +: VC_W];
      n_last = rb_rd[RB_W-1];
      n_data = g_pl;
      n_gx   = g_gx;
    end else if (send_new) begin
      n_type = T_DATA;
      n_vc   = grant_vc;
      n_last = new_last;
      n_data[DATA_W-1:0] = new_data;
    end
  end

  wire [HDR_W-1:0] n_hdr = {ep, freed_cnt[cred_rr], cred_rr, rx_expect, rp_ptr, n_last, n_vc, n_type};
  wire [BODY_W-1:0] n_body;
  generate
    if (GROUP > 1 && PAD_W > 0) begin : g_gpad
      assign n_body = {{PAD_W{1'b0}}, n_gx, n_hdr, n_data};
    end else if (GROUP > 1) begin : g_gnopad
      assign n_body = {n_gx, n_hdr, n_data};
    end else if (PAD_W > 0) begin : g_pad
      assign n_body = {{PAD_W{1'b0}}, n_hdr, n_data};
    end else begin : g_nopad
      assign n_body = {n_hdr, n_data};
    end
  endgenerate
  wire [31:0] n_crc;
  m890_crc32c #(.W(BODY_W)) u_tx_crc (.data(n_body), .crc(n_crc));

  // ================================================================= status counters
  /* verilator lint_off UNUSEDSIGNAL */
  reg [31:0] stat_tx_flits;    // flits put on the wire (all types)
  reg [31:0] stat_tx_data;     // new data flits (first transmissions)
  reg [31:0] stat_rx_flits;    // flits received with a good CRC
  reg [31:0] stat_rx_data;     // data flits accepted in sequence (delivered to a VC buffer)
  reg [31:0] stat_crc_err;     // flits received with a bad CRC
  reg [31:0] stat_nak_tx;      // NAK flits sent
  reg [31:0] stat_nak_rx;      // NAKs received (each starts a replay)
  reg [31:0] stat_replay;      // flits retransmitted from the replay buffer
  reg [31:0] stat_timeout;     // replay-timer expiries
  reg [31:0] stat_reinit;      // link re-initializations (entries into INIT from UP)
  reg [31:0] stat_dup;         // good data flits dropped as duplicates or out of sequence
  reg [31:0] stat_rx_ovf;      // in-sequence flits dropped for a full VC buffer (must stay 0)
  reg [31:0] stat_peer_rst;    // peer resets detected (we were paired and the peer came back fresh)
  reg [31:0] stat_tx_drop;     // our packets a peer reset dropped (unacknowledged or half-sent)
  reg [31:0] stat_rx_abort;    // received packets ended with tlast+tuser (tail lost in a peer reset)
  /* verilator lint_on UNUSEDSIGNAL */

  // ================================================================= receive buffers
  reg [DATA_W+1:0] rx_mem [0:NUM_VC*RX_DEPTH-1];  // {user, last, data}
  reg [RX_AW:0]   rx_wp [0:NUM_VC-1];
  reg [RX_AW:0]   rx_rp [0:NUM_VC-1];

  wire [RX_AW:0]  wp_sel   = rx_wp[f_vc];
  wire [RX_AW:0]  rp_sel   = rx_rp[f_vc];
  /* verilator lint_off UNUSEDSIGNAL */
  wire            sel_full = ((wp_sel - rp_sel) == RX_DEPTH[RX_AW:0]);  // (GROUP > 1: checked per staged beat)
  /* verilator lint_on UNUSEDSIGNAL */
  wire            vc_ok    = ({1'b0, f_vc} < NUM_VC[VC_W:0]);

  wire [SEQ_W-1:0] d_off   = f_seq - rx_expect;
  wire             f_is_data = rx_use && (f_type == T_DATA) && vc_ok;
  wire             ahead   = (d_off != {SEQ_W{1'b0}}) && (d_off < HALF);

  // in_win: the flit carries the next expected beat; accept: it is taken (acc_n new beats).
  // The receive-buffer write of this cycle: wr_* (GROUP == 1: the accepted flit itself;
  // GROUP > 1: one beat per cycle out of a staging register that holds the accepted group).
  wire             in_win;
  wire             accept;
  wire [SEQ_W-1:0] acc_n;
  wire             st_busy;     // GROUP > 1: staged beats still to be written
  wire             st_stall;    // GROUP > 1: the staged beat finds its VC buffer full (never while credits hold)
  wire             wr_v;
  wire [VC_W-1:0]  wr_vc;
  wire             wr_last;
  wire [DATA_W-1:0] wr_data;
  generate
    if (GROUP == 1) begin : g_rx1
      assign in_win  = (d_off == {SEQ_W{1'b0}});
      assign accept  = f_is_data && in_win && !sel_full;
      assign acc_n   = {{(SEQ_W-1){1'b0}}, 1'b1};
      assign st_busy = 1'b0;
      assign st_stall = 1'b0;
      assign wr_v    = accept;
      assign wr_vc   = f_vc;
      assign wr_last = f_last;
      assign wr_data = f_data;
    end else begin : g_rxg
      // a group overlapping rx_expect (after a go-back-N replay) delivers only its new beats
      wire [GC_W-1:0]  f_cnt  = rxq[O_GC +: GC_W];
      wire [SEQ_W-1:0] back   = rx_expect - f_seq;
      wire [31:0]      back32 = {{(32-SEQ_W){1'b0}}, back};
      wire [31:0]      cnt32  = {{(32-GC_W){1'b0}}, f_cnt};
      /* verilator lint_off UNUSEDSIGNAL */
      wire [31:0]      new32  = cnt32 - back32;
      /* verilator lint_on UNUSEDSIGNAL */
      reg  [GROUP*PB_W-1:0] f_vl;   // {last, vc} of every beat
      reg              vcs_ok;
      integer k;
      always @(*) begin
        f_vl = {(GROUP*PB_W){1'b0}};
        f_vl[PB_W-1:0] = {f_last, f_vc};
        vcs_ok = 1'b1;
        for (k = 1; k < GROUP; k = k + 1) begin
          f_vl[k*PB_W +: PB_W] = rxq[O_GC + GC_W + (k-1)*PB_W +: PB_W];
          if (k < cnt32 && !({1'b0, f_vl[k*PB_W +: VC_W]} < NUM_VC[VC_W:0])) vcs_ok = 1'b0;
        end
      end
      reg [PL_W-1:0]        st_d;
      reg [GROUP*PB_W-1:0]  st_vl;
      reg [GC_W-1:0]        st_idx, st_end;
      wire [PB_W-1:0]       st_cur = st_vl[st_idx*PB_W +: PB_W];
      wire [VC_W-1:0]       dvc    = st_cur[VC_W-1:0];
      wire                  dfull  = ((rx_wp[dvc] - rx_rp[dvc]) == RX_DEPTH[RX_AW:0]);
      wire                  drain  = st_busy && !dfull;
      wire                  st_free = !st_busy || ((st_idx + 1'b1 == st_end) && drain);
      assign st_busy = (st_idx != st_end);
      assign st_stall = st_busy && dfull;
      assign in_win  = (cnt32 != 0) && (cnt32 <= GROUP) && (back32 < cnt32);
      assign accept  = f_is_data && in_win && vcs_ok && st_free;
      assign acc_n   = new32[SEQ_W-1:0];
      assign wr_v    = drain;
      assign wr_vc   = dvc;
      assign wr_last = st_cur[VC_W];
      assign wr_data = st_d[st_idx*DATA_W +: DATA_W];
      always @(posedge clk) begin
        if (!rst_n) begin
          st_idx <= {GC_W{1'b0}};
          st_end <= {GC_W{1'b0}};
        end else if (accept) begin
          st_d   <= rxq[PL_W-1:0];
          st_vl  <= f_vl;
          st_idx <= back32[GC_W-1:0];
          st_end <= f_cnt;
        end else if (drain) begin
          st_idx <= st_idx + 1'b1;
        end
      end
    end
  endgenerate

  generate
    for (g = 0; g < NUM_VC; g = g + 1) begin : g_rxout
      wire [RX_AW:0]  wp = rx_wp[g];
      wire [RX_AW:0]  rp = rx_rp[g];
      wire [DATA_W+1:0] rd = rx_mem[g * RX_DEPTH + ({{(31-RX_AW){1'b0}}, rp} & (RX_DEPTH - 1))];
      assign m_axis_tvalid[g] = (wp != rp);
      assign m_axis_tdata[g*DATA_W +: DATA_W] = rd[DATA_W-1:0];
      assign m_axis_tlast[g] = rd[DATA_W];
      assign m_axis_tuser[g] = rd[DATA_W+1];
    end
  endgenerate

  // Ending a packet whose tail a peer reset lost (ab_pend), one VC per cycle (only while the
  // link state is clean, so never together with an accepted flit): with two or more beats
  // buffered the newest one (not presented to the user) becomes the end, tlast + tuser;
  // otherwise one such beat is appended once there is room.
  reg            ab_wr;
  reg [VC_W-1:0] ab_vc;
  reg            ab_app;
  reg [RX_AW:0]  ab_occ;
  integer va;
  always @(*) begin
    ab_wr  = 1'b0;
    ab_vc  = {VC_W{1'b0}};
    ab_app = 1'b0;
    for (va = NUM_VC - 1; va >= 0; va = va - 1) begin
      ab_occ = rx_wp[va] - rx_rp[va];
      if (ab_pend[va] && (ab_occ >= 2 || ab_occ != RX_DEPTH[RX_AW:0])) begin
        ab_wr  = 1'b1;
        ab_vc  = va[VC_W-1:0];
        ab_app = (ab_occ < 2);
      end
    end
  end
  wire [RX_AW:0] wp_wr   = rx_wp[wr_vc];
  wire           ab_do   = ab_wr && !wr_v;
  wire [RX_AW:0] ab_wp   = rx_wp[ab_vc];
  wire [RX_AW:0] ab_addr = ab_app ? ab_wp : ab_wp - 1'b1;

  always @(posedge clk) begin
    if (wr_v) rx_mem[{{(32-VC_W){1'b0}}, wr_vc} * RX_DEPTH + ({{(31-RX_AW){1'b0}}, wp_wr} & (RX_DEPTH - 1))] <= {1'b0, wr_last, wr_data};
    else if (ab_do) rx_mem[{{(32-VC_W){1'b0}}, ab_vc} * RX_DEPTH + ({{(31-RX_AW){1'b0}}, ab_addr} & (RX_DEPTH - 1))] <= {2'b11, {DATA_W{1'b0}}};
  end

  // ================================================================= pairing and peer reset
  // The peer is fresh out of reset while we are paired: its reset dropped our link state.
  wire detect  = rx_good && !hold && f_init && f_if && !clean && gsat && !st_busy;
  // clean pairing: take the peer's credit state of VC cvc from its clean INIT (range-checked)
  wire cvc_ok  = ({1'b0, f_cvc} < NUM_VC[VC_W:0]);
  wire adopt   = rx_good && !hold && f_init && f_ir && clean && cvc_ok &&
                 ((f_recv - f_ccnt) <= RX_DEPTH[CW-1:0]);
  wire clean_ready = clean && (adopted == {NUM_VC{1'b1}}) && (ab_pend == {NUM_VC{1'b0}});
  // up from clean: the peer has our state too (its clean INIT with A), or it is already up
  // and sends our epoch
  wire go_up_clean = clean_ready && rx_ep && (f_init ? (f_ir && f_ia) : 1'b1);

  // packets of ours a peer reset drops: unacknowledged ones (their tlast is unacknowledged)
  // and the ones the user is in the middle of (swallowed)
  wire [NUM_VC-1:0] new_hot = do_new ? ({{(NUM_VC-1){1'b0}}, 1'b1} << grant_vc) : {NUM_VC{1'b0}};
  wire [NUM_VC-1:0] tx_open_n = (tx_open & ~new_hot) | (new_last ? {NUM_VC{1'b0}} : new_hot);
  wire [NUM_VC-1:0] sw_end = swallow & s_axis_tvalid & s_axis_tlast;
  reg  [31:0] drop_cnt;
  integer vp;
  always @(*) begin
    drop_cnt = (do_new && new_last) ? 32'd1 : 32'd0;
    for (vp = 0; vp < REPLAY_DEPTH; vp = vp + 1)
      if (rb_lastv[vp] && (((vp - {{(32-SEQ_W){1'b0}}, tx_base}) & (REPLAY_DEPTH - 1)) < {{(32-SEQ_W){1'b0}}, outstanding}))
        drop_cnt = drop_cnt + 32'd1;
    for (vp = 0; vp < NUM_VC; vp = vp + 1)
      if (tx_open_n[vp]) drop_cnt = drop_cnt + 32'd1;
  end

  always @(posedge clk) begin
    if (!rst_n) begin
      for (vr = 0; vr < NUM_VC; vr = vr + 1) begin
        rx_wp[vr]     <= {(RX_AW+1){1'b0}};
        rx_rp[vr]     <= {(RX_AW+1){1'b0}};
        freed_cnt[vr] <= {CW{1'b0}};
        recv_cnt[vr]  <= {CW{1'b0}};
      end
      rx_open       <= {NUM_VC{1'b0}};
      ab_pend       <= {NUM_VC{1'b0}};
      stat_rx_abort <= 32'd0;
    end else begin
      for (vr = 0; vr < NUM_VC; vr = vr + 1) begin
        if (m_axis_tvalid[vr] && m_axis_tready[vr]) begin
          rx_rp[vr]     <= rx_rp[vr] + 1'b1;
          freed_cnt[vr] <= freed_cnt[vr] + 1'b1;
        end
      end
      if (wr_v) begin
        rx_wp[wr_vc]    <= wp_wr + 1'b1;
        recv_cnt[wr_vc] <= recv_cnt[wr_vc] + 1'b1;
        rx_open[wr_vc]  <= !wr_last;
      end
      if (ab_do) begin
        ab_pend[ab_vc] <= 1'b0;
        stat_rx_abort  <= stat_rx_abort + 1'b1;
        if (ab_app) begin
          rx_wp[ab_vc]    <= ab_wp + 1'b1;
          recv_cnt[ab_vc] <= recv_cnt[ab_vc] + 1'b1;
        end
      end
      if (detect) begin  // (never with wr_v or ab_do: detect needs a paired, non-clean state, nothing staged)
        ab_pend <= rx_open;
        rx_open <= {NUM_VC{1'b0}};
      end
    end
  end

  // ================================================================= replay buffer write
  always @(posedge clk) begin
    if (do_new) rb_mem[tx_next[RP_W-1:0]] <= {new_last, grant_vc, new_data};
  end

  // ================================================================= ACK / NAK / credit / link control
  // validity of a received cumulative ACK: it must lie in [tx_base, tx_next]
  wire [SEQ_W-1:0] a_off    = f_ack - tx_base;
  wire             ack_ok   = rx_use && (a_off <= outstanding);
  wire             progress = ack_ok && (a_off != {SEQ_W{1'b0}});
  // the base after this cycle's ACK
  wire [SEQ_W-1:0] base_n   = progress ? f_ack : tx_base;
  wire [SEQ_W-1:0] next_n   = do_new ? tx_next + 1'b1 : tx_next;

  wire nak_in     = ack_ok && (f_type == T_NAK) && link_up_q;
  wire tm_expire  = link_up_q && (timer >= TIMEOUT[TM_W-1:0] - 1'b1);
  // a NAK only replays when something is still unacknowledged (a NAK caused by a corrupted
  // IDLE on a quiet link is harmless and must not count toward the retry limit)
  wire replay_ev  = (nak_in && (base_n != tx_next)) || tm_expire;

  // credit update from the rotating field
  wire [CW-1:0]    pf_sel   = peer_freed[f_cvc];
  wire [CW-1:0]    sc_sel   = sent_cnt[f_cvc];
  wire             cred_upd = rx_use && cvc_ok && ((f_ccnt - pf_sel) <= (sc_sel - pf_sel));

  reg [RT_W-1:0]  retry_n;
  reg [SEQ_W-1:0] rp_n;
  reg             go_init;
  reg             go_up;
  always @(*) begin
    retry_n = (progress || base_n == tx_next) ? {RT_W{1'b0}} : retry;
    if (replay_ev) retry_n = retry_n + 1'b1;
    go_init = 1'b0;
    go_up   = 1'b0;
    if (link_up_q) begin
      if (retry_n >= MAX_RETRY[RT_W-1:0]) go_init = 1'b1;
      if (rx_use && f_type == T_INIT && !f_last) go_init = 1'b1;  // the peer restarted its handshake
    end else if (!clean) begin
      if (rx_use && f_type == T_INIT && f_last) go_up = 1'b1;
      if (rx_use && f_type != T_INIT && peer_seen) go_up = 1'b1;
    end else begin
      go_up = go_up_clean;
    end
    // next transmit pointer
    rp_n = rp_ptr;
    if (tx_load && (send_rp || send_new)) rp_n = rp_ptr + rp_step;
    if (replay_ev || go_up) rp_n = base_n;
    // never point below the (new) base
    if ((rp_n - base_n) > (next_n - base_n)) rp_n = base_n;
  end

  always @(posedge clk) begin
    if (!rst_n) begin
      link_up_q   <= 1'b0;
      peer_seen   <= 1'b0;
      clean       <= 1'b1;
      fresh       <= 1'b1;
      ep          <= 1'b0;
      gcnt        <= {GD_W{1'b0}};
      adopted     <= {NUM_VC{1'b0}};
      tx_open     <= {NUM_VC{1'b0}};
      swallow     <= {NUM_VC{1'b0}};
      rb_lastv    <= {REPLAY_DEPTH{1'b0}};
      tx_next     <= {SEQ_W{1'b0}};
      tx_base     <= {SEQ_W{1'b0}};
      rp_ptr      <= {SEQ_W{1'b0}};
      rp_hi       <= {SEQ_W{1'b0}};
      timer       <= {TM_W{1'b0}};
      retry       <= {RT_W{1'b0}};
      nak_pending <= 1'b0;
      nak_sched   <= 1'b0;
      nak_tmr     <= {NK_W{1'b0}};
      rx_expect   <= {SEQ_W{1'b0}};
      cred_rr     <= {VC_W{1'b0}};
      arb_rr      <= {VC_W{1'b0}};
      txr_v       <= 1'b0;
      txr         <= {FLIT_W{1'b0}};
      for (vt = 0; vt < NUM_VC; vt = vt + 1) begin
        sent_cnt[vt]   <= {CW{1'b0}};
        peer_freed[vt] <= {CW{1'b0}};
      end
      stat_tx_flits <= 32'd0;
      stat_tx_data  <= 32'd0;
      stat_rx_flits <= 32'd0;
      stat_rx_data  <= 32'd0;
      stat_crc_err  <= 32'd0;
      stat_nak_tx   <= 32'd0;
      stat_nak_rx   <= 32'd0;
      stat_replay   <= 32'd0;
      stat_timeout  <= 32'd0;
      stat_reinit   <= 32'd0;
      stat_dup      <= 32'd0;
      stat_rx_ovf   <= 32'd0;
      stat_peer_rst <= 32'd0;
      stat_tx_drop  <= 32'd0;
    end else begin
      // ---------------- transmit register
      if (tx_load) begin
        txr_v <= 1'b1;
        txr   <= {n_crc, n_body};
        cred_rr <= (cred_rr == NUM_VC[VC_W-1:0] - 1'b1) ? {VC_W{1'b0}} : cred_rr + 1'b1;
        stat_tx_flits <= stat_tx_flits + 1'b1;
        if (send_nak) stat_nak_tx <= stat_nak_tx + 1'b1;
        if (send_rp && rp_old) stat_replay <= stat_replay + 1'b1;
        if (send_rp && ((rp_ptr + rp_step - tx_base) > (rp_hi - tx_base))) rp_hi <= rp_ptr + rp_step;
      end else if (link_tx_ready) begin
        txr_v <= 1'b0;  // (GROUP > 1: the pacing gap)
      end
      if (do_new) begin
        tx_next <= tx_next + 1'b1;
        arb_rr  <= grant_vc;
        sent_cnt[grant_vc] <= sent_cnt[grant_vc] + 1'b1;
        rb_lastv[tx_next[RP_W-1:0]] <= new_last;
        stat_tx_data <= stat_tx_data + 1'b1;
      end
      tx_open <= tx_open_n;
      swallow <= swallow & ~sw_end;
      tx_base <= base_n;
      rp_ptr  <= rp_n;

      // ---------------- credits from the peer
      if (cred_upd) peer_freed[f_cvc] <= f_ccnt;
      if (adopt) begin
        sent_cnt[f_cvc]   <= f_recv;
        peer_freed[f_cvc] <= f_ccnt;
        adopted[f_cvc]    <= 1'b1;
        if (fresh && !f_if) ep <= f_ep;  // a fresh endpoint joins the survivor's epoch
      end

      // ---------------- replay timer and retry counter
      if (!link_up_q || progress || replay_ev || base_n == next_n) timer <= {TM_W{1'b0}};
      else timer <= timer + 1'b1;
      retry <= (go_init || !link_up_q) ? {RT_W{1'b0}} : retry_n;
      if (nak_in) stat_nak_rx <= stat_nak_rx + 1'b1;
      if (tm_expire) stat_timeout <= stat_timeout + 1'b1;

      // ---------------- link state
      if (rxq_v && !gsat) gcnt <= gcnt + 1'b1;
      if (link_up_q) begin
        if (go_init) begin
          link_up_q   <= 1'b0;
          // a peer INIT seen now already counts for our handshake
          peer_seen   <= rx_use && (f_type == T_INIT);
          stat_reinit <= stat_reinit + 1'b1;
        end
      end else begin
        if (rx_use && f_type == T_INIT) peer_seen <= 1'b1;
        if (go_up) link_up_q <= 1'b1;
        if (clean && go_up) begin
          clean <= 1'b0;
          fresh <= 1'b0;
          gcnt  <= {GD_W{1'b0}};
        end
      end

      // ---------------- receive side: sequence check, NAK scheduling
      if (rx_good) stat_rx_flits <= stat_rx_flits + 1'b1;
      if (st_stall) stat_rx_ovf <= stat_rx_ovf + 1'b1;  // (GROUP > 1; cannot happen while credits are honoured)
      if (rx_bad)  stat_crc_err  <= stat_crc_err + 1'b1;
      if (tx_load && send_nak) nak_pending <= 1'b0;
      // NAK re-arm: if the NAK or the replay it asked for got lost, allow another NAK
      if (!nak_sched) nak_tmr <= {NK_W{1'b0}};
      else if (nak_tmr >= NAK_REARM[NK_W-1:0] - 1'b1) begin
        nak_tmr   <= {NK_W{1'b0}};
        nak_sched <= 1'b0;
      end else nak_tmr <= nak_tmr + 1'b1;
      if (accept) begin
        rx_expect    <= rx_expect + acc_n;
        nak_sched    <= 1'b0;
        nak_tmr      <= {NK_W{1'b0}};
        stat_rx_data <= stat_rx_data + {{(32-SEQ_W){1'b0}}, acc_n};
      end else if (f_is_data && in_win && GROUP == 1) begin
        stat_rx_ovf <= stat_rx_ovf + 1'b1;  // cannot happen while credits are honoured
      end else if (f_is_data) begin
        // (GROUP > 1 also: an in-sequence group while the staging register is busy, which only a
        // duplicate the channel inserted less than GROUP cycles after the previous group can be)
        stat_dup <= stat_dup + 1'b1;
        if (ahead && !nak_sched) begin
          nak_sched   <= 1'b1;
          nak_pending <= 1'b1;
        end
      end else if (rx_use && (f_type == T_IDLE || f_type == T_NAK)) begin
        // an IDLE/NAK carries the sender's next sequence number: equal -> nothing missing,
        // ahead -> flits were lost and the sender does not know (tail loss)
        if (d_off == {SEQ_W{1'b0}}) begin
          nak_sched <= 1'b0;
          nak_tmr   <= {NK_W{1'b0}};
        end
        else if (ahead && !nak_sched && link_up_q) begin
          nak_sched   <= 1'b1;
          nak_pending <= 1'b1;
        end
      end else if (rx_bad && link_up_q && !nak_sched) begin
        nak_sched   <= 1'b1;
        nak_pending <= 1'b1;
      end

      // ---------------- peer reset: drop the link state that pairs with the old peer
      if (detect) begin
        link_up_q     <= 1'b0;
        clean         <= 1'b1;
        peer_seen     <= 1'b0;
        adopted       <= {NUM_VC{1'b0}};
        ep            <= !ep;
        tx_next       <= {SEQ_W{1'b0}};
        tx_base       <= {SEQ_W{1'b0}};
        rp_ptr        <= {SEQ_W{1'b0}};
        rp_hi         <= {SEQ_W{1'b0}};
        rx_expect     <= {SEQ_W{1'b0}};
        timer         <= {TM_W{1'b0}};
        retry         <= {RT_W{1'b0}};
        nak_pending   <= 1'b0;
        nak_sched     <= 1'b0;
        nak_tmr       <= {NK_W{1'b0}};
        for (vt = 0; vt < NUM_VC; vt = vt + 1) begin
          sent_cnt[vt]   <= {CW{1'b0}};
          peer_freed[vt] <= {CW{1'b0}};
        end
        tx_open       <= {NUM_VC{1'b0}};
        swallow       <= (swallow & ~sw_end) | tx_open_n;
        stat_peer_rst <= stat_peer_rst + 1'b1;
        stat_tx_drop  <= stat_tx_drop + drop_cnt;
      end
    end
  end
`ifdef FORMAL
  `include "m890_icn_endpoint_props.vh"
`endif
endmodule
`default_nettype wire
