// SPDX-License-Identifier: Apache-2.0
// m890_fdpa_add -- purely combinational final stage of the exact FDPA: z = round_rm(c + S).
//
// S arrives from m890_fdpa_mul in compact form (m890_fdpa_defs.vh): one exact term A (normalized 90-bit
// significand and exponent) and, for BF16 with far-apart products only, a second term Q far below A
// (|Q| < |A| * 2^-42), pre-aligned into this stage's window. The window is 154 bits (index 0 .. 153,
// two's complement with a sign bit): index j weighs 2^(Ef - 124 + j), Ef = the frame exponent.
//
//   c, A and Q are placed in the window (A at indices 124..35, Q at <= 81, c by a right shift); a term
//   that reaches below index 1 leaves only a signed sticky at index 0 (+-1 unit, never a truncated
//   magnitude). The exactness argument (docs/mac.md, "The compact datapath") picks the frame and the
//   sticky so that every rounding decision is that of the exact sum:
//   - c above A by 27 binades or more (c dominant): the frame follows c, A and Q become A's signed sticky;
//   - c = -A exactly when Q is present (BF16-far cancellation, seen as an FP32 encoding compare): the
//     sum is Q alone, which takes A's place;
//   - c and Q both below the window: the sum is A plus the sign of (c + Q) as a sticky (a comparator);
//   - otherwise c, A and Q are summed in the window, at most one of them truncated into the sticky.
//   One carry-save step (A, c, Q as one's complements, and one 3-bit term: their +1s plus the signed sticky)
//   and one prefix adder form T; |T| comes from T - 1 of the same carry-save pair;
//   a leading-zero count clamped at 2^-126 (a stop bit, so subnormal results land on the 2^-149 grid)
//   normalizes; one increment of {exponent, fraction} rounds.
// Legality (format pair, rm 5-7, scale_fmt) is decided by the caller with m890_fdpa_legal() (m890_formats.vh),
// which overrides the result of an illegal operation; here rm 5-7 round like RMM.
`default_nettype none
`include "m890_fdpa_defs.vh"

module m890_fdpa_add #(
  parameter CUT = 0   // 1: a pipeline register after the window sum (m890_mac); 0: combinational (the tile's loop)
) (
  input  wire                  clk,          // used when CUT = 1
  input  wire                  rst_n,
  input  wire                  in_valid,
  output wire                  out_valid,    // in_valid, CUT cycles later
  input  wire [`M890_PB_W-1:0] pb,
  input  wire [31:0]           c,
  input  wire [2:0]            rm,
  output wire [31:0]           z,
  output wire [4:0]            flags
);

`include "m890_formats.vh"

  localparam A_W = `M890_A_W;   // 90
  localparam IA  = `M890_IA;    // 124: A's MSB
  localparam VW  = 154;         // window magnitude bits (index 0 = the signed sticky)
  localparam TW  = VW + 1;      // two's complement

  wire [A_W-1:0]     a_sig   = pb[`M890_PB_A_SIG +: A_W];
  wire signed [11:0] a_exp   = pb[`M890_PB_A_EXP +: 12];
  wire               a_neg   = pb[`M890_PB_A_NEG];
  wire               a_zero  = pb[`M890_PB_A_ZERO];
  wire               s_huge  = pb[`M890_PB_HUGE];
  wire               far     = pb[`M890_PB_FAR];
  wire               q_neg   = pb[`M890_PB_Q_SIGN];
  wire [23:0]        q_sig   = pb[`M890_PB_Q_SIG +: 24];
  wire signed [11:0] q_exp   = pb[`M890_PB_Q_EXP +: 12];
  wire signed [12:0] q_exp13 = {q_exp[11], q_exp};   // sign-extended
  wire signed [12:0] a_exp13 = {a_exp[11], a_exp};
  wire [80:0]        q_win   = pb[`M890_PB_Q_WIN +: 81];
  wire               q_stk   = pb[`M890_PB_Q_STK];
  wire [30:0]        p_enc   = pb[`M890_PB_P_ENC +: 31];
  wire               p_repr  = pb[`M890_PB_P_REPR];
  wire               b_nan   = pb[`M890_PB_NAN];
  wire               b_nv    = pb[`M890_PB_NV];
  wire               b_pinf  = pb[`M890_PB_PINF];
  wire               b_ninf  = pb[`M890_PB_NINF];
  wire               b_allzp = pb[`M890_PB_ALLZP];
  wire               b_allzn = pb[`M890_PB_ALLZN];

  function rinc;  // round-up decision
    input [2:0] mode; input sgn; input lsb; input rb; input st;
    begin
      case (mode)
        `M890_RM_RNE: rinc = rb && (st || lsb);
        `M890_RM_RTZ: rinc = 1'b0;
        `M890_RM_RDN: rinc = sgn && (rb || st);
        `M890_RM_RUP: rinc = !sgn && (rb || st);
        default:      rinc = rb;                  // RMM
      endcase
    end
  endfunction

  // ---------------------------------------------------------------- c, the frame, the placements
  wire [23:0] c_sig = {(c[30:23] != 8'd0), c[22:0]};
  wire [4:0]  c_lz;                               // c normalized (subnormal c) for the (c + Q) sign
  m890_lzc #(.W(24), .CW(5)) u_clz (.x(c_sig), .n(c_lz));

  reg               c_inf, c_nan, c_snan, c_zero, cancel, use_c, use_q, c_dom, c_stk, both;
  reg signed [12:0] rsh_s;
  reg               c_far;
  reg [A_W-1:0]     e_sig;
  reg               e_neg;
  reg [VW-1:0]      cw, aw, qw;
  reg               cq_gt, cq_eq, s_neg, s_nz;
  reg [TW-1:0]      x1, x2, x3, x4;
  reg [1:0]         s_v;
  reg [2:0]         k3;
  reg [1:0]         kb;      // the +1s of the one's complement terms
  reg [3:0]         k3m1;    // k - 1, signed (-1 .. 3)
  reg [TW-1:0]      x4m1;
  // exponent arithmetic on prefix adders (each a few gate levels, not a ripple chain)
  wire [7:0]  c_eb = (c[30:23] == 8'd0) ? 8'd1 : c[30:23];          // max(E, 1) = ec + 127
  // (only A's: when c = -P cancels, c leaves the window and its shift does not matter)
  wire [12:0] a154, a27, rsh_a, stk_d, stk_x, stk_y;
  wire [3:0]  unused_co;
  m890_add #(.W(13)) u_a27 (.a(a_exp13), .b(13'sd27), .ci(1'b0), .s(a27), .co(unused_co[0]));
  m890_add #(.W(13)) u_a154 (.a(a_exp13), .b(13'sd154), .ci(1'b0), .s(a154), .co(unused_co[1]));
  // rsh = a_exp + 27 - ec = (a_exp + 154) - max(E,1)
  m890_add #(.W(13)) u_rsha (.a(a154), .b(~{5'd0, c_eb}), .ci(1'b1), .s(rsh_a), .co(unused_co[2]));
  // c's bits below the window: the low cnt = rsh - 127 = (a_exp + 27) - max(E,1) of c_sig. One of them is
  // set iff cnt > tz(c_sig), its trailing zeros: the sticky is the sign of (a_exp + 27) - max(E,1) - tz - 1,
  // one carry-save step and one adder beside the shift amount's, instead of a mask shifter and an OR tree
  // behind it (this is the accumulate loop's first stage)
  wire [4:0]  c_tz;
  m890_lzc #(.W(24), .CW(5), .TRAIL(1)) u_ctz (.x(c_sig), .n(c_tz));
  m890_csa #(.W(13), .N(3)) u_stk3 (.t({~{8'd0, c_tz}, ~{5'd0, c_eb}, a27}), .x(stk_x), .y(stk_y));
  m890_add #(.W(13)) u_stkd (.a(stk_x), .b(stk_y), .ci(1'b1), .s(stk_d), .co(unused_co[3]));
  always @* begin
    c_inf  = (c[30:23] == 8'hFF) && (c[22:0] == 23'd0);
    c_nan  = (c[30:23] == 8'hFF) && (c[22:0] != 23'd0);
    c_snan = c_nan && !c[22];
    c_zero = (c[30:0] == 31'd0);

    // BF16-far with c = -A exactly: the sum is Q, which takes A's place
    cancel = far && p_repr && (c[30:0] == p_enc) && (c[31] != a_neg);
    e_sig  = cancel ? {q_sig, {(A_W-24){1'b0}}} : a_sig;
    e_neg  = cancel ? q_neg : a_neg;
    use_c  = !cancel && !c_zero && (c[30:23] != 8'hFF);
    use_q  = far && !cancel;

    // c's MSB (c_sig bit 23) goes to index 151 - rsh; rsh <= 0 means c is 27+ binades above A (c_dom:
    // c stays at the top, unshifted). The shifter takes rsh's low 8 bits straight from the adder; a shift
    // of 152 or more leaves nothing in the window, so only rsh >= 256 needs its own zero (c_far), and both
    // decisions act after the shifter, in parallel with it.
    rsh_s  = a_zero ? 13'sd27 : $signed(rsh_a);
    c_dom  = use_c && !a_zero && (rsh_s <= 13'sd0);
    c_far  = !rsh_s[12] && (rsh_s[11:8] != 4'd0);
  end
  // The frame exponent ef = a_zero ? ec : c_dom ? ec - 27 : e_exp leaves this stage as efb = ef + 156 (the
  // biased exponent of window index 153), with the normalizer's stop bit (at index 154 - efb, when
  // 1 <= efb <= 154) already placed: each case's sum on its own prefix adder, one multiplexer after them
  // (ec + 156 = max(E,1) + 29, ec - 27 + 156 = max(E,1) + 2), none of it in the second stage.
  wire [12:0] efb_c29, efb_c2, efb_a, efb_q, efb, sbx;
  wire [4:0]  unused_cf;
  m890_add #(.W(13)) u_ef_c29 (.a({5'd0, c_eb}), .b(13'd29), .ci(1'b0), .s(efb_c29), .co(unused_cf[0]));
  m890_add #(.W(13)) u_ef_c2 (.a({5'd0, c_eb}), .b(13'd2), .ci(1'b0), .s(efb_c2), .co(unused_cf[1]));
  m890_add #(.W(13)) u_ef_a (.a(a_exp13), .b(13'd156), .ci(1'b0), .s(efb_a), .co(unused_cf[2]));
  m890_add #(.W(13)) u_ef_q (.a(q_exp13), .b(13'd156), .ci(1'b0), .s(efb_q), .co(unused_cf[3]));
  assign efb = a_zero ? efb_c29 : c_dom ? efb_c2 : cancel ? efb_q : efb_a;
  // stop bit index 154 - efb = 154 + ~efb + 1
  m890_add #(.W(13)) u_sbx (.a(~efb), .b(13'd155), .ci(1'b0), .s(sbx), .co(unused_cf[4]));
  wire efb_deep = efb[12] || (efb == 13'd0);              // the whole window below 2^-126
  wire sb_ok_w  = !efb_deep && (efb <= 13'd154);
  wire [VW-1:0] cvec, cvec_sh;
  wire [23:0]   cn;
  m890_shift #(.W(VW), .SW(8)) u_cvec (.x({2'b00, c_sig, 128'd0}), .n(rsh_s[7:0]), .y(cvec_sh));
  assign cvec = c_dom ? {2'b00, c_sig, 128'd0} : c_far ? {VW{1'b0}} : cvec_sh;
  m890_shift #(.W(24), .SW(5), .LEFT(1)) u_cn (.x(c_sig), .n(c_lz), .y(cn));
  // |c| against |Q|, both normalized: exponents first (ec - c_lz against q_exp, ec = max(E,1) - 127, as
  // the sign of max(E,1) - c_lz - (q_exp + 127) - 1), then significands (the carry of cn - q_sig - 1),
  // on prefix adders: a plain compare would map to a ripple chain in the loop's first stage
  wire [12:0] qe127, ce_x, ce_y, ce_d;
  wire [23:0] cs_d;
  wire        cs_gt;
  wire [1:0]  unused_cq;
  m890_add #(.W(13)) u_qe (.a(q_exp13), .b(13'd127), .ci(1'b0), .s(qe127), .co(unused_cq[0]));
  m890_csa #(.W(13), .N(3)) u_ce3 (.t({~qe127, ~{8'd0, c_lz}, {5'd0, c_eb}}), .x(ce_x), .y(ce_y));
  m890_add #(.W(13)) u_ced (.a(ce_x), .b(ce_y), .ci(1'b1), .s(ce_d), .co(unused_cq[1]));
  m890_add #(.W(24)) u_csd (.a(cn), .b(~q_sig), .ci(1'b0), .s(cs_d), .co(cs_gt));
  wire        ce_gt = !ce_d[12];          // ec - c_lz > q_exp
  wire        ce_eq = &ce_d;              // ec - c_lz == q_exp
  always @* begin
    // (c_dom: nothing of c below the window; A zero: cnt = -100)
    c_stk  = use_c && !c_dom && !a_zero && !stk_d[12];
    both   = use_c && use_q && c_stk && q_stk;

    // sign of (c + Q) when both lie below the window (compare |c| with |Q|)
    cq_gt  = ce_gt || (ce_eq && cs_gt);
    cq_eq  = ce_eq && (cn == q_sig);
    s_nz   = !((c[31] != q_neg) && cq_eq);
    s_neg  = (c[31] == q_neg) ? c[31] : cq_gt ? c[31] : q_neg;

    // the terms (index 0 of every magnitude is free: it belongs to the signed sticky)
    cw = (use_c && !both) ? {cvec[VW-1:1], 1'b0} : {VW{1'b0}};
    aw = (!c_dom) ? {{(VW-IA-1){1'b0}}, e_sig, {(IA+1-A_W){1'b0}}} : {VW{1'b0}};
    qw = (use_q && !c_dom && !both) ? {{(VW-82){1'b0}}, q_win, 1'b0} : {VW{1'b0}};
    x1 = {1'b0, aw} ^ {TW{e_neg}};
    x2 = {1'b0, cw} ^ {TW{c[31]}};
    x3 = {1'b0, qw} ^ {TW{q_neg}};
    // the signed sticky s (+1, 0, -1) joins the +1s of the one's complement terms: k = their count + s.
    // s = -1 only for a negative truncated term (c, Q, or A when c dominates), whose own +1 is in the
    // count, so k = 0 .. 4 is a 3-bit term instead of a full-width one
    if (c_dom)
      s_v = a_neg ? 2'b11 : 2'b01;
    else if (both)
      s_v = !s_nz ? 2'b00 : s_neg ? 2'b11 : 2'b01;
    else if (c_stk)
      s_v = c[31] ? 2'b11 : 2'b01;
    else if (use_q && q_stk)
      s_v = q_neg ? 2'b11 : 2'b01;
    else
      s_v = 2'b00;
    // k and k - 1 for each sticky value are formed from the signs alone (which settle early); the
    // sticky, the last decision of this stage, only selects
    kb   = {1'b0, e_neg} + {1'b0, c[31]} + {1'b0, q_neg};
    k3   = (s_v == 2'b01) ? {1'b0, kb} + 3'd1 : (s_v == 2'b11) ? {1'b0, kb} - 3'd1 : {1'b0, kb};
    x4   = {{(TW-3){1'b0}}, k3};
    // T - 1 from its own tree (k - 1 in place of k, the same depth as T's) rather than from T's carry-save
    // pair: one carry-save level less in the loop's first stage
    k3m1 = (s_v == 2'b01) ? {2'b00, kb} : (s_v == 2'b11) ? {2'b00, kb} - 4'd2 : {2'b00, kb} - 4'd1;
    x4m1 = {{(TW-4){k3m1[3]}}, k3m1};
  end

  // ---------------------------------------------------------------- T = sum, |T|
  wire [TW-1:0] sx, sy, mx, my, t, tm1;
  wire          unused_c0, unused_c1;
  // k (x4; with the sticky, the last decision of this stage) is term 3, which the tree's first level
  // passes on, so it meets only one full adder
  m890_csa #(.W(TW), .N(4)) u_tree (.t({x4, x3, x2, x1}), .x(sx), .y(sy));
  m890_csa #(.W(TW), .N(4)) u_m1 (.t({x4m1, x3, x2, x1}), .x(mx), .y(my));
  m890_add #(.W(TW)) u_sum (.a(sx), .b(sy), .ci(1'b0), .s(t), .co(unused_c0));
  m890_add #(.W(TW)) u_sm1 (.a(mx), .b(my), .ci(1'b0), .s(tm1), .co(unused_c1));
  // ---------------------------------------------------------------- the optional cut (CUT = 1)
  localparam MID_W = 2*TW + 13 + 10 + 3 + 5 + 6 + 2;
  wire [MID_W-1:0]  mid_q;
  wire [TW-1:0]     t_k, tm1_k;
  wire [12:0]       efb_k;
  wire [7:0]        sb_k;
  wire              sb_ok, deep;
  wire [2:0]        rm_k;
  wire              c_inf_k, c_nan_k, c_snan_k, c_zero_k, c_sgn_k;
  wire              b_nan_k, b_nv_k, b_pinf_k, b_ninf_k, b_allzp_k, b_allzn_k, s_huge_k, a_neg_k;
  m890_fdpa_cut #(.W(MID_W), .REG(CUT)) u_cut (
    .clk(clk), .rst_n(rst_n), .in_valid(in_valid), .out_valid(out_valid),
    .in_d({t, tm1, efb, sbx[7:0], sb_ok_w, efb_deep, rm, c_inf, c_nan, c_snan, c_zero, c[31], b_nan, b_nv, b_pinf, b_ninf, b_allzp, b_allzn,
           s_huge, a_neg}),
    .out_d(mid_q));
  assign {t_k, tm1_k, efb_k, sb_k, sb_ok, deep, rm_k, c_inf_k, c_nan_k, c_snan_k, c_zero_k, c_sgn_k, b_nan_k, b_nv_k, b_pinf_k,
          b_ninf_k, b_allzp_k, b_allzn_k, s_huge_k, a_neg_k} = mid_q;

  wire          t_sgn = t_k[TW-1];
  wire [VW-1:0] tm    = t_sgn ? ~tm1_k[VW-1:0] : t_k[VW-1:0];

  // ---------------------------------------------------------------- normalize (clamped at 2^-126)
  // index 153 weighs 2^(efb_k - 127); the shift stops when 2^-126 reaches the top: the stop bit sb_k
  // (index 154 - efb_k, when sb_ok) and deep (the whole window below 2^-126: only c = 0, |A| < 2^-155)
  // come from the first stage
  wire [VW-1:0] stopv;
  m890_shift #(.W(VW), .SW(8), .LEFT(1)) u_stop (.x({{(VW-1){1'b0}}, sb_ok}), .n(sb_k), .y(stopv));
  wire [7:0] lz;
  m890_lzc #(.W(VW), .CW(8)) u_lz (.x(tm | stopv), .n(lz));

  // biased exponent of the normalized top bit: efb_k - lz
  wire [12:0] expb;
  wire        unused_cx, unused_cr;
  m890_add #(.W(13)) u_expb (.a(efb_k), .b(~{5'd0, lz}), .ci(1'b1), .s(expb), .co(unused_cx));
  reg  [9:0]  expf;
  reg  [23:0] sig;
  reg         inc;
  // both roundings are formed while the round-up decision settles; inc only selects (below)
  wire [32:0] rnd_up;
  m890_inc #(.W(33)) u_rnd (.a({expf, sig[22:0]}), .s(rnd_up), .co(unused_cr));

  // trailing zeros of |T|: with the leading-zero count they tell whether anything is left below the
  // round bit (tz + lz <= 128) or below 2^-151 in the tininess check (tz + lz <= 127) without an OR
  // tree behind the normalizing shift
  wire [7:0] tz;
  wire [8:0] tzlz;
  wire       unused_ctz;
  m890_lzc #(.W(VW), .CW(8), .TRAIL(1)) u_tz (.x(tm), .n(tz));
  m890_add #(.W(9)) u_tzlz (.a({1'b0, tz}), .b({1'b0, lz}), .ci(1'b0), .s(tzlz), .co(unused_ctz));

  reg            pinf, ninf, nv, is_nan, t_zero, special;
  reg [VW-1:0]   nrm;
  reg            rbit, stk, inx, up24, tiny, ovf0, ovf1, o_sgn, o_inf, zs;
  reg [31:0]     o_z, z_sp, zx, zr;
  reg [4:0]      f_sp, fr0, fr1, fr;
  reg            ovf, xsel, nrml;
  always @* begin
    // ---- special values
    pinf    = b_pinf_k || (c_inf_k && !c_sgn_k);
    ninf    = b_ninf_k || (c_inf_k && c_sgn_k);
    nv      = b_nv_k || c_snan_k || (pinf && ninf);
    is_nan  = b_nan_k || c_nan_k || nv;
    special = is_nan || pinf || ninf;
    z_sp    = is_nan ? `M890_QNAN : {ninf, 8'hFF, 23'd0};
    f_sp    = is_nan ? {nv, 4'b0000} : 5'b00000;
    t_zero  = (t_k == {TW{1'b0}});

    // ---- normalize and round once
    nrm  = tm << lz;
    if (deep) begin
      sig = 24'd0; rbit = 1'b0; stk = 1'b1;
    end else begin
      sig = nrm[VW-1 -: 24]; rbit = nrm[VW-25]; stk = (tzlz <= 9'd128);   // = |nrm[VW-26:0]
    end
    nrml  = sig[23] && !deep;
    expf  = nrml ? expb[9:0] : 10'd0;
    inc   = rinc(rm_k, t_sgn, sig[0], rbit, stk);
    inx   = rbit || stk;

    // ---- tininess after rounding: below 2^-126 unless the MSB is 2^-127 and rounding that value to
    //      24 bits (LSB 2^-150) carries it up to 2^-126
    up24  = !deep && nrm[VW-2] && (&nrm[VW-2 -: 24]) && rinc(rm_k, t_sgn, 1'b1, nrm[VW-26], (tzlz <= 9'd127));
    tiny  = deep || (!nrm[VW-1] && !up24);

    // ---- overflow result per rounding mode and sign
    o_sgn   = s_huge_k ? a_neg_k : t_sgn;
    o_inf   = (rm_k == `M890_RM_RNE) || (rm_k == `M890_RM_RMM) || (rm_k == `M890_RM_RUP && !o_sgn) ||
              (rm_k == `M890_RM_RDN && o_sgn);
    o_z     = o_inf ? {o_sgn, 8'hFF, 23'd0} : {o_sgn, 8'hFE, 23'h7FFFFF};

    // ---- exact zero: the common sign of all-zero addends, else +0 (-0 under RDN)
    zs = (c_zero_k && c_sgn_k && b_allzn_k) ? 1'b1 : (c_zero_k && !c_sgn_k && b_allzp_k) ? 1'b0 : (rm_k == `M890_RM_RDN);

    // ---- priority of section 2, formed for both roundings; the round-up decision selects last
    // (expf >= 255 and expf == 254 read from expb, which settles before the normalizing shift)
    ovf0 = s_huge_k || (nrml && (expb[9:0] >= 10'd255));
    ovf1 = ovf0 || (nrml && (expb[9:0] == 10'd254) && (&sig[22:0]));   // = rnd_up exponent >= 255
    // the rounded value (the incrementer's, the last to settle) passes two multiplexers: the round-up
    // choice, then finite-or-not; the other results are formed beside them
    ovf  = inc ? ovf1 : ovf0;
    xsel = special || ovf || t_zero;
    zx   = special ? z_sp : ovf ? o_z : {zs, 31'd0};
    zr   = xsel ? zx : inc ? {t_sgn, rnd_up[30:0]} : {t_sgn, expf[7:0], sig[22:0]};
    fr0  = special ? f_sp : ovf0 ? (`M890_FLAG_OF | `M890_FLAG_NX) : t_zero ? 5'd0 : {3'b000, tiny && inx, inx};
    fr1  = special ? f_sp : ovf1 ? (`M890_FLAG_OF | `M890_FLAG_NX) : t_zero ? 5'd0 : {3'b000, tiny && inx, inx};
    fr   = inc ? fr1 : fr0;
  end

  wire unused_add = cvec[0] ^ tm1_k[TW-1] ^ (^sbx[12:8]) ^ (^stk_d[11:0]) ^ (^cs_d) ^ (^expb[12:10]) ^ (^rnd_up[32:31]);
  assign z     = zr;
  assign flags = fr;

endmodule

`default_nettype wire
