using Pipeline.Model.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Model.Training.Fused;

/// <summary>
/// TorchSharp's AdamW (same options, state and checkpoint format, so a checkpoint written by either
/// loads into the other) whose update of a float32 CPU parameter runs as one C# pass
/// (<see cref="AdamWElements"/>) instead of seven libtorch calls; other parameters take the same
/// composite update as the base class. AMSGrad and maximize are not supported. The class is named
/// AdamW on purpose: TorchSharp writes the optimizer's type name into its state stream and refuses a
/// stream of another name, so under this name checkpoints move freely between the two (and the ones
/// written before this class existed still resume).
/// </summary>
public sealed class AdamW : TorchSharp.Modules.AdamW
{
    public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(groups, lr, beta1, beta2, eps, weightDecay)
    {
    }

    public AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this([new ParamGroup(parameters)], lr, beta1, beta2, eps, weightDecay)
    {
    }

    /// <summary>Turns the fused update off (environment <c>PIPELINE_FUSED_ADAMW=0</c>), e.g. to compare against TorchSharp's.</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("PIPELINE_FUSED_ADAMW") != "0";

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        if (options.amsgrad == true || options.maximize == true)
            throw new NotSupportedException("the fused AdamW supports neither amsgrad nor maximize");
        var (lr, beta1, beta2) = (options.LearningRate!.Value, options.beta1!.Value, options.beta2!.Value);
        var (eps, weightDecay) = (options.eps!.Value, options.weight_decay!.Value);
        var threads = LibtorchThreads.Count;
        foreach (var parameter in group.Parameters)
        {
            var grad = parameter.grad; // a new wrapper, disposed with the step's dispose scope
            if (grad is null) continue;
            var state = (State)_state[parameter.Handle];
            state.step += 1;
            var biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            var biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            if (Enabled && IsFusable(parameter, grad, state))
                Fused(parameter, grad, state, new AdamWElements.Coefficients
                {
                    Decay = (float)(1 - lr * weightDecay),
                    Beta1 = (float)beta1,
                    OneMinusBeta1 = (float)(1 - beta1),
                    Beta2 = (float)beta2,
                    OneMinusBeta2 = (float)(1 - beta2),
                    SqrtBiasCorrection2 = (float)Math.Sqrt(biasCorrection2),
                    Eps = (float)eps,
                    NegativeStepSize = (float)(-lr / biasCorrection1),
                }, threads);
            else
                Composite(parameter, grad, state, lr, beta1, beta2, eps, weightDecay, biasCorrection1, biasCorrection2);
        }
    }, closure);

    private static bool IsFusable(Tensor parameter, Tensor grad, State state) =>
        parameter.device_type == DeviceType.CPU && parameter.dtype == ScalarType.Float32 && parameter.is_contiguous()
        && grad.dtype == ScalarType.Float32 && grad.is_contiguous() && state.exp_avg.is_contiguous() && state.exp_avg_sq.is_contiguous();

    private static unsafe void Fused(Tensor parameter, Tensor grad, State state, AdamWElements.Coefficients coefficients, int threads) =>
        AdamWElements.Step(HostFloats.Pointer(parameter), HostFloats.Pointer(grad), HostFloats.Pointer(state.exp_avg), HostFloats.Pointer(state.exp_avg_sq),
            parameter.numel(), coefficients, threads);

    /// <summary>TorchSharp's AdamW update, for parameters the kernel does not take.</summary>
    private static void Composite(Tensor parameter, Tensor grad, State state, double lr, double beta1, double beta2, double eps, double weightDecay,
        double biasCorrection1, double biasCorrection2)
    {
        parameter.mul_(1 - lr * weightDecay);
        state.exp_avg.mul_(beta1).add_(grad, alpha: 1 - beta1);
        state.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
        using var denom = (state.exp_avg_sq.sqrt() / Math.Sqrt(biasCorrection2)).add_(eps);
        parameter.addcdiv_(state.exp_avg, denom, value: -lr / biasCorrection1);
    }
}
