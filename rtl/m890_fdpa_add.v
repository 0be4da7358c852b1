// m890_fdpa_add -- purely combinational final stage of the exact FDPA: z = round_rm(c + S).
//
// S arrives in the product bundle (m890_fdpa_defs.vh) as |S| in a fixed window (bit j = 2^(j-161),
// bit 0 = sticky for everything below 2^-160) or as HUGE (|S| >= 2^130: overflow whatever c is).
// c (|c| < 2^128, LSB >= 2^-149) is placed into the same window, added with signs, normalized with a
// clamped leading-zero shift (subnormals land on the 2^-149 grid), rounded once with an incrementer.
// Every rounding decision (incl. tininess after rounding at 2^-150/2^-151) lies far above the sticky
// position, so the window sum rounds exactly like the exact sum.
`default_nettype none
`include "m890_fdpa_defs.vh"

module m890_fdpa_add (
  input  wire [`M890_PB_W-1:0] pb,
  input  wire [31:0]           c,
  input  wire [2:0]            rm,
  output wire [31:0]           z,
  output wire [4:0]            flags
);

  localparam WIN_W = `M890_WIN_W;   // 291: window of |S|, bit 0 sticky
  localparam T_W   = WIN_W + 1;     // 292: |c + S| < 2^131 (index 291 = 2^130)
  localparam [31:0] QNAN = 32'h7FC00000;

  wire [WIN_W-1:0] s_win   = pb[`M890_PB_WIN_LSB +: WIN_W];
  wire             s_huge  = pb[`M890_PB_HUGE];
  wire             s_sign  = pb[`M890_PB_SSIGN];
  wire             b_ill   = pb[`M890_PB_ILLEGAL];
  wire             b_nan   = pb[`M890_PB_NAN];
  wire             b_nv    = pb[`M890_PB_NV];
  wire             b_pinf  = pb[`M890_PB_PINF];
  wire             b_ninf  = pb[`M890_PB_NINF];
  wire             b_allzp = pb[`M890_PB_ALLZP];
  wire             b_allzn = pb[`M890_PB_ALLZN];

  // ---------------------------------------------------------------- c
  wire        c_sign = c[31];
  wire [7:0]  c_exp  = c[30:23];
  wire [22:0] c_man  = c[22:0];
  wire        c_inf  = (c_exp == 8'hFF) && (c_man == 23'd0);
  wire        c_nan  = (c_exp == 8'hFF) && (c_man != 23'd0);
  wire        c_snan = c_nan && !c_man[22];
  wire        c_zero = (c_exp == 8'd0) && (c_man == 23'd0);
  // c = sig * 2^(max(e,1) - 150): its LSB lands at window index max(e,1) + 11 (12 .. 265)
  wire [23:0] c_sig  = {(c_exp != 8'd0), c_man};
  wire [8:0]  c_pos  = ((c_exp == 8'd0) ? 9'd1 : {1'b0, c_exp}) + 9'd11;
  wire [T_W-1:0] cw  = (c_exp == 8'hFF) ? {T_W{1'b0}} : ({{(T_W-24){1'b0}}, c_sig} << c_pos);
  wire [T_W-1:0] sw  = {1'b0, s_win};

  // ---------------------------------------------------------------- special values
  wire rm_bad = (rm > 3'd4);
  wire pinf   = b_pinf || (c_inf && !c_sign);
  wire ninf   = b_ninf || (c_inf && c_sign);
  wire nv     = b_nv || c_snan || (pinf && ninf);
  wire is_nan = b_nan || c_nan || nv;

  // ---------------------------------------------------------------- signed add of two magnitudes
  wire           same  = (c_sign == s_sign);
  wire [T_W-1:0] sum   = cw + sw;
  wire [T_W:0]   d_cs  = {1'b0, cw} - {1'b0, sw};
  wire [T_W-1:0] d_sc  = sw - cw;
  wire           c_lt  = d_cs[T_W];
  wire [T_W-1:0] tm    = same ? sum : (c_lt ? d_sc : d_cs[T_W-1:0]);
  wire           t_sgn = same ? c_sign : (c_lt ? s_sign : c_sign);
  wire           t_zero = (tm == {T_W{1'b0}});

  // ---------------------------------------------------------------- normalize (left shift min(lzc, 256))
  // index 35 = 2^-126; shifting by 256 brings it to the top (index 291).
  reg [T_W-1:0] nrm;
  reg [8:0]     sa;
  always @* begin
    nrm = tm; sa = 9'd0;
    if (nrm[T_W-1 -: 256] == 256'd0)                  begin nrm = nrm << 256; sa = sa + 9'd256; end
    if (nrm[T_W-1 -: 128] == 128'd0 && sa <= 9'd128) begin nrm = nrm << 128; sa = sa + 9'd128; end
    if (nrm[T_W-1 -: 64]  == 64'd0  && sa <= 9'd192) begin nrm = nrm << 64;  sa = sa + 9'd64;  end
    if (nrm[T_W-1 -: 32]  == 32'd0  && sa <= 9'd224) begin nrm = nrm << 32;  sa = sa + 9'd32;  end
    if (nrm[T_W-1 -: 16]  == 16'd0  && sa <= 9'd240) begin nrm = nrm << 16;  sa = sa + 9'd16;  end
    if (nrm[T_W-1 -: 8]   == 8'd0   && sa <= 9'd248) begin nrm = nrm << 8;   sa = sa + 9'd8;   end
    if (nrm[T_W-1 -: 4]   == 4'd0   && sa <= 9'd252) begin nrm = nrm << 4;   sa = sa + 9'd4;   end
    if (nrm[T_W-1 -: 2]   == 2'd0   && sa <= 9'd254) begin nrm = nrm << 2;   sa = sa + 9'd2;   end
    if (nrm[T_W-1]        == 1'b0   && sa <= 9'd255) begin nrm = nrm << 1;   sa = sa + 9'd1;   end
  end

  wire [23:0] sig   = nrm[T_W-1 -: 24];
  wire        rbit  = nrm[T_W-25];
  wire        stk   = |nrm[T_W-26:0];
  // biased exponent: MSB index 291 - sa -> 2^(130 - sa) -> biased 257 - sa (normal only)
  wire [9:0]  expf  = sig[23] ? (10'd257 - {1'b0, sa}) : 10'd0;

  function rinc;  // round-up decision
    input [2:0] mode; input sgn; input lsb; input rb; input st;
    begin
      case (mode)
        3'd0:    rinc = rb && (st || lsb);   // RNE
        3'd1:    rinc = 1'b0;                // RTZ
        3'd2:    rinc = sgn && (rb || st);   // RDN
        3'd3:    rinc = !sgn && (rb || st);  // RUP
        default: rinc = rb;                  // RMM
      endcase
    end
  endfunction

  wire        inc   = rinc(rm, t_sgn, sig[0], rbit, stk);
  wire [32:0] rnd   = {expf, sig[22:0]} + {32'd0, inc};
  wire        ovf_r = (rnd[32:23] >= 10'd255);
  wire        inx   = rbit || stk;

  // tininess after rounding: below 2^-126 unless the MSB is 2^-127 (index 34) and rounding that value to
  // 24 bits (LSB 2^-150 = index 11) carries it up to 2^-126.
  wire        msb34 = (tm[T_W-1:35] == {(T_W-35){1'b0}}) && tm[34];
  wire        up24  = msb34 && (&tm[34:11]) && rinc(rm, t_sgn, 1'b1, tm[10], |tm[9:0]);
  wire        tiny  = (tm[T_W-1:35] == {(T_W-35){1'b0}}) && !up24;

  // overflow result per rounding mode and sign
  wire        ovf_any = s_huge || ovf_r;
  wire        o_sgn   = s_huge ? s_sign : t_sgn;
  wire        o_inf   = (rm == 3'd0) || (rm == 3'd4) || (rm == 3'd3 && !o_sgn) || (rm == 3'd2 && o_sgn);
  wire [31:0] o_z     = o_inf ? {o_sgn, 8'hFF, 23'd0} : {o_sgn, 8'hFE, 23'h7FFFFF};

  // exact zero sign
  wire        zs = (c_zero && c_sign && b_allzn) ? 1'b1 :
                   (c_zero && !c_sign && b_allzp) ? 1'b0 : (rm == 3'd2);

  reg [31:0] zr;
  reg [4:0]  fr;
  always @* begin
    if (b_ill || rm_bad) begin
      zr = QNAN; fr = 5'b10000;
    end else if (is_nan) begin
      zr = QNAN; fr = {nv, 4'b0000};
    end else if (pinf || ninf) begin
      zr = {ninf, 8'hFF, 23'd0}; fr = 5'b00000;
    end else if (ovf_any) begin
      zr = o_z; fr = 5'b00101;
    end else if (t_zero) begin
      zr = {zs, 31'd0}; fr = 5'b00000;
    end else begin
      zr = {t_sgn, rnd[30:0]}; fr = {3'b000, tiny && inx, inx};
    end
  end

  assign z     = zr;
  assign flags = fr;

endmodule

`default_nettype wire
