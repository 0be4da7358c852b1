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
//  - IDLE flits fill every free slot and carry ACK/credits, so a quiet link makes progress.
// Status counters (stat_*) are plain registers for test benches and debug access.
module m890_icn_endpoint #(
  parameter DATA_W       = 256,          // user beat width and flit payload width
  parameter NUM_VC       = 3,            // number of virtual channels (1..16)
  parameter FLIT_W       = DATA_W + 64,  // link flit width: payload + header + pad + CRC-32C
  parameter SEQ_W        = 8,            // sequence-number width (>= 2)
  parameter REPLAY_DEPTH = 32,           // replay buffer flits: power of 2, <= 2**(SEQ_W-1)
  parameter RX_DEPTH     = 32,           // receive buffer beats per VC (= credits per VC), power of 2 >= 1
  parameter TIMEOUT      = 256,          // replay timer in cycles (> the ACK round trip)
  parameter MAX_RETRY    = 8,            // replays without ACK progress before a link re-init
  parameter NAK_REARM    = 32            // cycles after a NAK before the receiver may NAK again (> round trip)
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
  localparam HDR_W  = 2 + VC_W + 1 + SEQ_W + SEQ_W + VC_W + CW;
  localparam BODY_W = FLIT_W - 32;              // bits covered by the CRC
  localparam PAD_W  = BODY_W - DATA_W - HDR_W;
  // header field offsets inside the flit
  localparam O_TYPE = DATA_W;
  localparam O_VC   = O_TYPE + 2;
  localparam O_LAST = O_VC + VC_W;
  localparam O_SEQ  = O_LAST + 1;
  localparam O_ACK  = O_SEQ + SEQ_W;
  localparam O_CVC  = O_ACK + SEQ_W;
  localparam O_CCNT = O_CVC + VC_W;
  localparam RB_W   = DATA_W + VC_W + 1;        // replay entry: {last, vc, data}

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
    if (TIMEOUT < 8 || MAX_RETRY < 1 || NAK_REARM < 2) begin : g_bad_tm
      m890_param_error_icn_timeout_or_retry u_err ();
    end
  endgenerate

  // ================================================================= link state
  reg link_up_q;      // 1: UP, 0: INIT (handshaking)
  reg peer_seen;      // INIT: a valid INIT flit from the peer has been received
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

  // ================================================================= transmit state
  reg [SEQ_W-1:0] tx_next;   // sequence number of the next new flit
  reg [SEQ_W-1:0] tx_base;   // oldest unacknowledged sequence number
  reg [SEQ_W-1:0] rp_ptr;    // next sequence number to put on the wire (== tx_next unless replaying)
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

  reg              txr_v;
  reg [FLIT_W-1:0] txr;
  assign link_tx_valid = txr_v;
  assign link_tx_data  = txr;

  wire [SEQ_W-1:0] outstanding = tx_next - tx_base;
  wire             window_full = (outstanding >= REPLAY_DEPTH[SEQ_W-1:0]);
  wire             replaying   = (rp_ptr != tx_next);
  wire             tx_load     = !txr_v || link_tx_ready;

  // per-VC credit check and round-robin arbitration of new flits
  reg [NUM_VC-1:0] credit_ok;
  integer vc, vr, vt;  // one loop variable per always block
  always @(*) begin
    for (vc = 0; vc < NUM_VC; vc = vc + 1)
      credit_ok[vc] = ((sent_cnt[vc] - peer_freed[vc]) < RX_DEPTH[CW-1:0]);
  end
  wire [NUM_VC-1:0] eligible = s_axis_tvalid & credit_ok;

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
  wire send_new  = link_up_q && !nak_pending && !replaying && !window_full && grant_any;
  wire do_new    = tx_load && send_new;

  genvar g;
  generate
    for (g = 0; g < NUM_VC; g = g + 1) begin : g_tready
      assign s_axis_tready[g] = do_new && (grant_vc == g);
    end
  endgenerate

  // the flit being formed this cycle
  wire [RB_W-1:0]   rb_rd    = rb_mem[rp_ptr[RP_W-1:0]];
  wire [DATA_W-1:0] new_data = s_axis_tdata[grant_vc*DATA_W +: DATA_W];
  wire              new_last = s_axis_tlast[grant_vc];

  reg [1:0]        n_type;
  reg [VC_W-1:0]   n_vc;
  reg              n_last;
  reg [DATA_W-1:0] n_data;
  always @(*) begin
    n_type = T_IDLE;
    n_vc   = {VC_W{1'b0}};
    n_last = 1'b0;
    n_data = {DATA_W{1'b0}};
    if (send_init) begin
      n_type = T_INIT;
      n_last = peer_seen;  // INIT: "I have seen your INIT"
    end else if (send_nak) begin
      n_type = T_NAK;
    end else if (send_rp) begin
      n_type = T_DATA;
      n_vc   = rb_rd[DATA_W +: VC_W];
      n_last = rb_rd[RB_W-1];
      n_data = rb_rd[DATA_W-1:0];
    end else if (send_new) begin
      n_type = T_DATA;
      n_vc   = grant_vc;
      n_last = new_last;
      n_data = new_data;
    end
  end

  wire [HDR_W-1:0] n_hdr = {freed_cnt[cred_rr], cred_rr, rx_expect, rp_ptr, n_last, n_vc, n_type};
  wire [BODY_W-1:0] n_body;
  generate
    if (PAD_W > 0) begin : g_pad
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
  /* verilator lint_on UNUSEDSIGNAL */

  // ================================================================= receive buffers
  reg [DATA_W:0]  rx_mem [0:NUM_VC*RX_DEPTH-1];  // {last, data}
  reg [RX_AW:0]   rx_wp [0:NUM_VC-1];
  reg [RX_AW:0]   rx_rp [0:NUM_VC-1];

  wire [RX_AW:0]  wp_sel   = rx_wp[f_vc];
  wire [RX_AW:0]  rp_sel   = rx_rp[f_vc];
  wire            sel_full = ((wp_sel - rp_sel) == RX_DEPTH[RX_AW:0]);
  wire            vc_ok    = ({1'b0, f_vc} < NUM_VC[VC_W:0]);

  wire [SEQ_W-1:0] d_off   = f_seq - rx_expect;
  wire             f_is_data = rx_good && (f_type == T_DATA) && vc_ok;
  wire             accept  = f_is_data && (d_off == {SEQ_W{1'b0}}) && !sel_full;
  wire             ahead   = (d_off != {SEQ_W{1'b0}}) && (d_off < HALF);

  generate
    for (g = 0; g < NUM_VC; g = g + 1) begin : g_rxout
      wire [RX_AW:0]  wp = rx_wp[g];
      wire [RX_AW:0]  rp = rx_rp[g];
      wire [DATA_W:0] rd = rx_mem[g * RX_DEPTH + ({{(31-RX_AW){1'b0}}, rp} & (RX_DEPTH - 1))];
      assign m_axis_tvalid[g] = (wp != rp);
      assign m_axis_tdata[g*DATA_W +: DATA_W] = rd[DATA_W-1:0];
      assign m_axis_tlast[g] = rd[DATA_W];
    end
  endgenerate

  always @(posedge clk) begin
    if (accept) rx_mem[{{(32-VC_W){1'b0}}, f_vc} * RX_DEPTH + ({{(31-RX_AW){1'b0}}, wp_sel} & (RX_DEPTH - 1))] <= {f_last, f_data};
  end

  always @(posedge clk) begin
    if (!rst_n) begin
      for (vr = 0; vr < NUM_VC; vr = vr + 1) begin
        rx_wp[vr]     <= {(RX_AW+1){1'b0}};
        rx_rp[vr]     <= {(RX_AW+1){1'b0}};
        freed_cnt[vr] <= {CW{1'b0}};
      end
    end else begin
      for (vr = 0; vr < NUM_VC; vr = vr + 1) begin
        if (m_axis_tvalid[vr] && m_axis_tready[vr]) begin
          rx_rp[vr]     <= rx_rp[vr] + 1'b1;
          freed_cnt[vr] <= freed_cnt[vr] + 1'b1;
        end
      end
      if (accept) rx_wp[f_vc] <= wp_sel + 1'b1;
    end
  end

  // ================================================================= replay buffer write
  always @(posedge clk) begin
    if (do_new) rb_mem[tx_next[RP_W-1:0]] <= {new_last, grant_vc, new_data};
  end

  // ================================================================= ACK / NAK / credit / link control
  // validity of a received cumulative ACK: it must lie in [tx_base, tx_next]
  wire [SEQ_W-1:0] a_off    = f_ack - tx_base;
  wire             ack_ok   = rx_good && (a_off <= outstanding);
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
  wire             cvc_ok   = ({1'b0, f_cvc} < NUM_VC[VC_W:0]);
  wire [CW-1:0]    pf_sel   = peer_freed[f_cvc];
  wire [CW-1:0]    sc_sel   = sent_cnt[f_cvc];
  wire             cred_upd = rx_good && cvc_ok && ((f_ccnt - pf_sel) <= (sc_sel - pf_sel));

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
      if (rx_good && f_type == T_INIT && !f_last) go_init = 1'b1;  // the peer restarted its handshake
    end else begin
      if (rx_good && f_type == T_INIT && f_last) go_up = 1'b1;
      if (rx_good && f_type != T_INIT && peer_seen) go_up = 1'b1;
    end
    // next transmit pointer
    rp_n = rp_ptr;
    if (tx_load && (send_rp || send_new)) rp_n = rp_ptr + 1'b1;
    if (replay_ev || go_up) rp_n = base_n;
    // never point below the (new) base
    if ((rp_n - base_n) > (next_n - base_n)) rp_n = base_n;
  end

  always @(posedge clk) begin
    if (!rst_n) begin
      link_up_q   <= 1'b0;
      peer_seen   <= 1'b0;
      tx_next     <= {SEQ_W{1'b0}};
      tx_base     <= {SEQ_W{1'b0}};
      rp_ptr      <= {SEQ_W{1'b0}};
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
    end else begin
      // ---------------- transmit register
      if (tx_load) begin
        txr_v <= 1'b1;
        txr   <= {n_crc, n_body};
        cred_rr <= (cred_rr == NUM_VC[VC_W-1:0] - 1'b1) ? {VC_W{1'b0}} : cred_rr + 1'b1;
        stat_tx_flits <= stat_tx_flits + 1'b1;
        if (send_nak) stat_nak_tx <= stat_nak_tx + 1'b1;
        if (send_rp)  stat_replay <= stat_replay + 1'b1;
      end
      if (do_new) begin
        tx_next <= tx_next + 1'b1;
        arb_rr  <= grant_vc;
        sent_cnt[grant_vc] <= sent_cnt[grant_vc] + 1'b1;
        stat_tx_data <= stat_tx_data + 1'b1;
      end
      tx_base <= base_n;
      rp_ptr  <= rp_n;

      // ---------------- credits from the peer
      if (cred_upd) peer_freed[f_cvc] <= f_ccnt;

      // ---------------- replay timer and retry counter
      if (!link_up_q || progress || replay_ev || base_n == next_n) timer <= {TM_W{1'b0}};
      else timer <= timer + 1'b1;
      retry <= (go_init || !link_up_q) ? {RT_W{1'b0}} : retry_n;
      if (nak_in) stat_nak_rx <= stat_nak_rx + 1'b1;
      if (tm_expire) stat_timeout <= stat_timeout + 1'b1;

      // ---------------- link state
      if (link_up_q) begin
        if (go_init) begin
          link_up_q   <= 1'b0;
          // a peer INIT seen now already counts for our handshake
          peer_seen   <= rx_good && (f_type == T_INIT);
          stat_reinit <= stat_reinit + 1'b1;
        end
      end else begin
        if (rx_good && f_type == T_INIT) peer_seen <= 1'b1;
        if (go_up) link_up_q <= 1'b1;
      end

      // ---------------- receive side: sequence check, NAK scheduling
      if (rx_good) stat_rx_flits <= stat_rx_flits + 1'b1;
      if (rx_bad)  stat_crc_err  <= stat_crc_err + 1'b1;
      if (tx_load && send_nak) nak_pending <= 1'b0;
      // NAK re-arm: if the NAK or the replay it asked for got lost, allow another NAK
      if (!nak_sched) nak_tmr <= {NK_W{1'b0}};
      else if (nak_tmr >= NAK_REARM[NK_W-1:0] - 1'b1) begin
        nak_tmr   <= {NK_W{1'b0}};
        nak_sched <= 1'b0;
      end else nak_tmr <= nak_tmr + 1'b1;
      if (accept) begin
        rx_expect    <= rx_expect + 1'b1;
        nak_sched    <= 1'b0;
        stat_rx_data <= stat_rx_data + 1'b1;
      end else if (f_is_data && d_off == {SEQ_W{1'b0}}) begin
        stat_rx_ovf <= stat_rx_ovf + 1'b1;  // cannot happen while credits are honoured
      end else if (f_is_data) begin
        stat_dup <= stat_dup + 1'b1;
        if (ahead && !nak_sched) begin
          nak_sched   <= 1'b1;
          nak_pending <= 1'b1;
        end
      end else if (rx_good && (f_type == T_IDLE || f_type == T_NAK)) begin
        // an IDLE/NAK carries the sender's next sequence number: equal -> nothing missing,
        // ahead -> flits were lost and the sender does not know (tail loss)
        if (d_off == {SEQ_W{1'b0}}) nak_sched <= 1'b0;
        else if (ahead && !nak_sched && link_up_q) begin
          nak_sched   <= 1'b1;
          nak_pending <= 1'b1;
        end
      end else if (rx_bad && link_up_q && !nak_sched) begin
        nak_sched   <= 1'b1;
        nak_pending <= 1'b1;
      end
    end
  end
`ifdef FORMAL
  `include "m890_icn_endpoint_props.vh"
`endif
endmodule
`default_nettype wire
